import type { Store } from '../store/store.ts';
import { toSummary } from '../request-views.ts';
import { FrameBatch, requestFrame } from './frames.ts';
import type { LiveSubscriber, StreamLimits } from './subscriber.ts';

export interface LiveHubOptions extends Partial<StreamLimits> {
  /**
   * Events are handed out at most this often (ms): under a steady stream of captures, each
   * subscriber gets one write per interval instead of one per capture. A quiet bin's first event
   * goes out on the next turn of the event loop.
   */
  flushIntervalMs?: number;
}

const defaultLimits: StreamLimits = {
  // A slow subscriber past this is cut off; its browser reconnects with Last-Event-ID and replays
  // the rest from the database, so memory stays bounded and nothing is lost.
  maxBacklogBytes: 4 * 1024 * 1024,
  keepAliveMs: 15_000,
};
const defaultFlushIntervalMs = 5;

/**
 * Fans committed captures out to the live subscribers of their bin. Each request's event is built
 * once, and only when someone is watching its bin, so capture does no extra work otherwise. The
 * events of a burst are gathered per bin and handed out together, so each subscriber gets one
 * write however many requests the burst held (see `flushIntervalMs`).
 */
export class LiveHub {
  readonly #subscribers = new Map<string, Set<LiveSubscriber>>();
  readonly #pending = new Map<string, FrameBatch>();
  /** Cancels the flush that is due, if one is. */
  #cancelFlush: (() => void) | undefined;
  #lastFlushAt = 0;
  readonly #flushIntervalMs: number;
  readonly #unsubscribeStore: () => void;
  /** What each event stream of this hub allows its client. */
  readonly streamLimits: Readonly<StreamLimits>;
  /** Ends each open event stream; called on shutdown. */
  readonly streamClosers = new Set<() => void>();

  constructor(store: Store, options: LiveHubOptions = {}) {
    this.streamLimits = Object.freeze({
      maxBacklogBytes: options.maxBacklogBytes ?? defaultLimits.maxBacklogBytes,
      keepAliveMs: options.keepAliveMs ?? defaultLimits.keepAliveMs,
    });
    this.#flushIntervalMs = options.flushIntervalMs ?? defaultFlushIntervalMs;
    this.#unsubscribeStore = store.onCapture((request) => {
      if (!this.#subscribers.has(request.bin)) return;
      let batch = this.#pending.get(request.bin);
      if (!batch) this.#pending.set(request.bin, (batch = new FrameBatch()));
      batch.add(BigInt(request.id), requestFrame(toSummary(request)));
      if (!this.#cancelFlush) this.#scheduleFlush();
    });
  }

  #scheduleFlush(): void {
    const wait = this.#lastFlushAt + this.#flushIntervalMs - performance.now();
    if (wait > 0) {
      const timer = setTimeout(() => this.#flush(), wait);
      this.#cancelFlush = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(() => this.#flush());
      this.#cancelFlush = () => clearImmediate(immediate);
    }
  }

  #flush(): void {
    this.#cancelFlush?.();
    this.#cancelFlush = undefined;
    this.#lastFlushAt = performance.now();
    for (const [bin, batch] of this.#pending) {
      for (const subscriber of this.#subscribers.get(bin) ?? []) subscriber.deliver(batch);
    }
    this.#pending.clear();
  }

  /** Delivers the bin's new request events to `subscriber` from now on; returns the unsubscribe function. */
  subscribe(bin: string, subscriber: LiveSubscriber): () => void {
    let subscribers = this.#subscribers.get(bin);
    if (!subscribers) this.#subscribers.set(bin, (subscribers = new Set()));
    subscribers.add(subscriber);
    return () => {
      subscribers.delete(subscriber);
      if (subscribers.size === 0 && this.#subscribers.get(bin) === subscribers) this.#subscribers.delete(bin);
    };
  }

  /** Sends what was committed, then ends every open event stream and stops listening to the store. */
  close(): void {
    this.#flush();
    for (const closeStream of this.streamClosers) closeStream();
    this.streamClosers.clear();
    this.#unsubscribeStore();
    this.#subscribers.clear();
  }
}
