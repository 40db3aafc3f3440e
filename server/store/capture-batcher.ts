import type { CapturedRequest, StoredRequest } from './store.ts';

interface PendingCapture<Row> {
  row: Row;
  resolve: (stored: StoredRequest) => void;
  reject: (error: unknown) => void;
}

export interface CaptureBatcherParts<Row> {
  /** Captures committed together at most; more wait for the next batch. */
  maxBatch: number;
  /** Readies a capture as it arrives (an engine may do its work early, so a batch is ready when its turn comes). */
  prepare(request: CapturedRequest): Row;
  /** Commits a batch in one transaction; resolves to the stored requests, in the order given. */
  commit(rows: Row[]): StoredRequest[] | Promise<StoredRequest[]>;
  /** After a batch committed and its captures were answered (telling listeners, scheduling upkeep). */
  committed?(stored: StoredRequest[]): void;
}

/**
 * Captures committed in groups, the same on both engines: every capture that arrives while the
 * event loop is busy, or while a batch is being written, joins the next batch, and each promise
 * resolves only after its batch commits (so a `2xx` still means the request is stored). Batches are
 * written one after another. Whatever runs after a commit is caught and logged: the captures are
 * stored already, and a failure there must never be thrown into the event loop.
 */
export class CaptureBatcher<Row> {
  readonly #parts: CaptureBatcherParts<Row>;
  #pending: PendingCapture<Row>[] = [];
  #scheduled = false;
  /** The batches being written; settles once no capture is pending. */
  #writing: Promise<void> | undefined;
  #closed = false;
  /** Captures added and settled (committed or failed) so far: batches settle in the order captures were added. */
  #added = 0;
  #settled = 0;
  /** Drains waiting for the first `upTo` captures to settle. */
  #drains: { upTo: number; resolve: () => void }[] = [];

  constructor(parts: CaptureBatcherParts<Row>) {
    this.#parts = parts;
  }

  add(request: CapturedRequest): Promise<StoredRequest> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'));
    return new Promise((resolve, reject) => {
      this.#pending.push({ row: this.#parts.prepare(request), resolve, reject });
      // Counted once queued: a capture whose preparing threw is never settled, and must not hold up a drain.
      this.#added++;
      if (this.#pending.length >= this.#parts.maxBatch) void this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  /**
   * Waits until every capture added so far is committed (or has failed); not for those added
   * meanwhile, so that under steady capture a bin's deletion waits one batch, not for a pause.
   */
  drain(): Promise<void> {
    if (this.#settled === this.#added) return Promise.resolve();
    const upTo = this.#added;
    void this.#flush();
    return new Promise((resolve) => this.#drains.push({ upTo, resolve }));
  }

  /** Refuses new captures, and waits for those added before. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.drain();
  }

  /** Starts writing the pending captures unless that is under way; settles when none are left. */
  #flush(): Promise<void> {
    this.#scheduled = false;
    if (!this.#writing && this.#pending.length > 0) this.#writing = this.#writePending();
    return this.#writing ?? Promise.resolve();
  }

  async #writePending(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, this.#parts.maxBatch);
        let stored: StoredRequest[];
        try {
          stored = await this.#parts.commit(batch.map((p) => p.row));
        } catch (error) {
          for (const p of batch) p.reject(error);
          this.#settle(batch.length);
          continue;
        }
        batch.forEach((p, i) => p.resolve(stored[i]!));
        this.#settle(batch.length);
        try {
          this.#parts.committed?.(stored);
        } catch (error) {
          console.error(`authbin: after storing captures ${stored[0]?.id}–${stored.at(-1)?.id}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    } finally {
      this.#writing = undefined;
    }
  }

  #settle(count: number): void {
    this.#settled += count;
    const waiting = this.#drains;
    this.#drains = waiting.filter((drain) => drain.upTo > this.#settled);
    for (const drain of waiting) if (drain.upTo <= this.#settled) drain.resolve();
  }
}
