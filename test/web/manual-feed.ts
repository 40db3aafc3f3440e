import type { RequestSummary } from '../../shared/api.ts';
import type { EventSourceFactory, EventSourceLike } from '../../web/api/live.ts';

/**
 * A stand-in for the browser's EventSource, which happy-dom lacks: the test decides when the stream opens,
 * fails or delivers a request. (The real EventSource is exercised by the end-to-end tests in Chromium.)
 */
export class ManualFeed {
  readonly opened: { url: string; source: ManualSource }[] = [];
  readonly factory: EventSourceFactory = (url) => {
    const source = new ManualSource();
    this.opened.push({ url, source });
    return source;
  };

  get current(): ManualSource {
    const last = this.opened.at(-1);
    if (!last) throw new Error('no event stream was opened');
    return last.source;
  }
}

export class ManualSource implements EventSourceLike {
  readyState = 0;
  closed = false;
  private listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  private fire(type: string, data = ''): void {
    for (const listener of this.listeners.get(type) ?? []) listener(new MessageEvent(type, { data }));
  }

  open(): void {
    this.readyState = 1;
    this.fire('open');
  }

  deliver(summary: RequestSummary): void {
    this.fire('request', JSON.stringify(summary));
  }

  /** A dropped connection; `givesUp` is what a browser does after an HTTP error instead of retrying. */
  fail(givesUp: boolean): void {
    this.readyState = givesUp ? 2 : 0;
    this.fire('error');
  }
}
