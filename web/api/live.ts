import type { RequestSummary } from '../../shared/api.ts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

/** The part of EventSource the live feed uses, so tests and other runtimes can hand in their own. */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

export interface LiveHandlers {
  onRequest(summary: RequestSummary): void;
  onStatus(status: LiveStatus): void;
  /** After a reconnect: fetch what may have been missed (the browser resumes with Last-Event-ID, but a fresh EventSource cannot). */
  onResync(): void;
}

const CLOSED = 2;

/**
 * Follows a bin's event stream. The browser's EventSource reconnects by itself and resumes from the last event id;
 * when it gives up (the server answered with an error while restarting), a new one is opened with growing delays,
 * resuming from the newest request already listed (`lastEventId` query parameter, which the server reads like the header).
 */
export function followBin(
  url: string,
  handlers: LiveHandlers,
  createEventSource: EventSourceFactory,
  newestId: () => string | null = () => null,
): () => void {
  let source: EventSourceLike | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let hadError = false;
  let stopped = false;

  const open = () => {
    handlers.onStatus(hadError ? 'reconnecting' : 'connecting');
    const resumeFrom = hadError ? newestId() : null;
    const current = createEventSource(resumeFrom ? `${url}${url.includes('?') ? '&' : '?'}lastEventId=${encodeURIComponent(resumeFrom)}` : url);
    source = current;
    current.addEventListener('open', () => {
      if (stopped || source !== current) return;
      attempt = 0;
      handlers.onStatus('live');
      if (hadError) handlers.onResync();
      hadError = false;
    });
    current.addEventListener('request', (event) => {
      if (stopped || source !== current) return;
      try {
        handlers.onRequest(JSON.parse(event.data) as RequestSummary);
      } catch {
        // A malformed event is skipped; the next resync fetches the request from the API.
      }
    });
    current.addEventListener('error', () => {
      if (stopped || source !== current) return;
      hadError = true;
      handlers.onStatus('reconnecting');
      if (current.readyState === CLOSED) {
        current.close();
        const delay = Math.min(10_000, 500 * 2 ** attempt++);
        retryTimer = setTimeout(open, delay);
      }
    });
  };

  open();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    source?.close();
  };
}

/** The browser's EventSource, sending the login cookie. */
export const browserEventSource: EventSourceFactory = (url) => new EventSource(url, { withCredentials: true }) as unknown as EventSourceLike;
