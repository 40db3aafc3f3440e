import type { LiveStatus } from '../api/live.ts';
import './LiveIndicator.css';

const TEXT: Record<LiveStatus, string> = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…' };

/** Whether new requests are arriving live. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <span class={`live-indicator is-${status}`} role="status" aria-label={`Live updates: ${TEXT[status]}`}>
      <span class="live-dot" aria-hidden="true" />
      {TEXT[status]}
    </span>
  );
}
