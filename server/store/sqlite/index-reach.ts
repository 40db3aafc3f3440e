/**
 * How far the search index has got, as the upkeep thread reports it (every request up to `upTo` is
 * in it), and who waits for it to get further.
 */
export class IndexReach {
  #upTo = 0;
  readonly #waiters = new Set<{ id: number; resolve: () => void; reject: (error: Error) => void }>();
  #closed = false;

  get upTo(): number {
    return this.#upTo;
  }

  /** The index holds every request up to `id`. */
  reached(id: number): void {
    if (id <= this.#upTo) return;
    this.#upTo = id;
    for (const waiter of this.#waiters) {
      if (waiter.id > id) continue;
      this.#waiters.delete(waiter);
      waiter.resolve();
    }
  }

  /** Resolves once the index holds every request up to `id`; rejects if the store closes first. */
  whenThrough(id: number): Promise<void> {
    if (id <= this.#upTo) return Promise.resolve();
    if (this.#closed) return Promise.reject(new Error('the store is closed'));
    return new Promise((resolve, reject) => this.#waiters.add({ id, resolve, reject }));
  }

  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiters) waiter.reject(new Error(`the store closed before the search index reached request ${waiter.id}`));
    this.#waiters.clear();
  }
}
