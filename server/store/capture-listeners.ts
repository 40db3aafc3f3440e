import type { CaptureListener, StoredRequest } from './store.ts';

/**
 * Who is told of each committed capture (live events, waits for a webhook), the same on both
 * engines. A listener that throws is logged and passed over: the capture is committed already, so
 * neither it, the other listeners nor the server may pay for it.
 */
export class CaptureListeners {
  readonly #listeners = new Set<CaptureListener>();

  add(listener: CaptureListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells every listener of each request, in the order given. */
  tell(requests: readonly StoredRequest[]): void {
    for (const request of requests) {
      for (const listener of this.#listeners) {
        try {
          listener(request);
        } catch (error) {
          console.error(`authbin: a capture listener failed on request ${request.id}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  }
}
