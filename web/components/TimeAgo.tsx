import { timeAgo } from '../lib/time-ago.ts';
import { useAppState } from '../state/context.ts';

/** "3 s ago", kept current by the store's clock; only this element re-renders as time passes. */
export function TimeAgo({ time, class: className }: { time: string; class?: string }) {
  const now = useAppState().now.value;
  return (
    <time class={className} dateTime={time} title={time}>
      {timeAgo(time, now)}
    </time>
  );
}
