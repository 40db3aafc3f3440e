import { useEffect, useRef } from 'preact/hooks';
import type { RequestDetail } from '../../shared/api.ts';
import { useAppState } from '../state/context.ts';
import './ForwardStatus.css';

// The server records a relay once the target answers or times out; a fresh request is looked at again a few times.
const PENDING_WINDOW_MS = 120_000;
const MAX_LOOKS = 5;

interface ForwardStatusProps {
  request: Pick<RequestDetail, 'id' | 'receivedAt' | 'forward'>;
  /** The bin's forwarding target now, null when it does not forward. */
  forwardTo: string | null;
}

/** How relaying this request to the bin's forwarding target went: the target's status and time, or the error. */
export function ForwardStatus({ request, forwardTo }: ForwardStatusProps) {
  const { details } = useAppState();
  const looks = useRef(0);
  const { forward } = request;
  const pending = !forward && forwardTo !== null && Date.now() - Date.parse(request.receivedAt) < PENDING_WINDOW_MS;
  useEffect(() => {
    if (!pending || looks.current >= MAX_LOOKS) return;
    const timer = setTimeout(() => {
      looks.current++;
      // Fetches the request again, to see whether the relay has been recorded.
      details.refresh(request.id);
    }, 1000 * 2 ** looks.current);
    return () => clearTimeout(timer);
  }, [request, pending, details]);

  if (forward) {
    const ok = forward.status !== null && forward.status < 400;
    return (
      <p class={`forward-status ${ok ? 'is-ok' : 'is-failed'}`} data-testid="forward-status">
        {forward.status !== null ? (
          <>
            Forwarded to <code>{forward.target}</code>: <strong>{forward.status}</strong> in {Math.round(forward.durationMs)} ms
          </>
        ) : (
          <>
            Forwarding to <code>{forward.target}</code> failed after {Math.round(forward.durationMs)} ms: {forward.error ?? 'no answer'}
          </>
        )}
      </p>
    );
  }
  if (!pending) return null;
  return (
    <p class="forward-status is-pending" data-testid="forward-status">
      Forwarding to <code>{forwardTo}</code>…
    </p>
  );
}
