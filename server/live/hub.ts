import type { RequestSummary } from '../../shared/api.ts';
import type { Store } from '../store/store.ts';
import { toSummary } from '../views.ts';

export type SummaryListener = (summary: RequestSummary) => void;

/**
 * Fans committed captures out to the live subscribers of their bin. A request's summary is built
 * once, and only when someone is watching its bin, so capture does no extra work otherwise.
 */
export class LiveHub {
  readonly #subscribers = new Map<string, Set<SummaryListener>>();
  readonly #unsubscribeStore: () => void;
  /** Ends each open event stream; called on shutdown. */
  readonly streamClosers = new Set<() => void>();

  constructor(store: Store) {
    this.#unsubscribeStore = store.onCapture((request) => {
      const listeners = this.#subscribers.get(request.bin);
      if (!listeners || listeners.size === 0) return;
      const summary = toSummary(request);
      for (const listener of listeners) listener(summary);
    });
  }

  subscribe(bin: string, listener: SummaryListener): () => void {
    let listeners = this.#subscribers.get(bin);
    if (!listeners) this.#subscribers.set(bin, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#subscribers.delete(bin);
    };
  }

  /** Ends every open event stream and stops listening to the store. */
  close(): void {
    for (const closeStream of this.streamClosers) closeStream();
    this.streamClosers.clear();
    this.#unsubscribeStore();
    this.#subscribers.clear();
  }
}
