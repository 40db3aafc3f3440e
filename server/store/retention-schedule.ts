import { evictionPrefix, expiredPrefix, isOverLimit, retentionChunk, type AgedRequest, type PrefixDeletion, type RetentionOptions } from './retention-policy.ts';
import { SizeCap } from './size-cap.ts';
import type { StoredRequest } from './store.ts';

const sweepIntervalMs = 60_000;
/** A request's bytes beyond its body (headers, columns, index entries, summary), roughly: to tell when to measure the size. */
const rowOverheadBytes = 1024;
/** The stored size is measured every this many bytes added (or every 64th of the cap when that is smaller): measuring is not free. */
const sizeCheckBytes = 1024 * 1024;
/** A full disk sets retention off at once, but no more than once a second however many captures it refuses. */
const fullDiskRunMs = 1000;
/** Eviction that finds another instance deleting tries again after this long: that instance holds the lock for one step only. */
const busyRetryMs = 100;

/** How a trimming step went: `more` when the bin may hold more to trim, `busy` when another instance is deleting. */
export type TrimOutcome = 'done' | 'more' | 'busy';

/** What one step of deleting the oldest requests did; `busy` when another instance is deleting. */
export type OldestDeletion = { read: number; deleted: boolean } | 'busy';

/** The deleting an engine does for retention, a chunk per step, each in its own transaction. */
export interface RetentionSteps<Id> {
  /** The bins holding more than `maxRequestsPerBin` requests. */
  binsOverLimit(maxRequestsPerBin: number): Promise<string[]>;
  /** Reads the oldest `retentionChunk` requests, oldest first, and deletes what `choose` picks of them. */
  deleteOldest(choose: (oldest: AgedRequest<Id>[]) => PrefixDeletion<Id> | undefined): Promise<OldestDeletion>;
  /** Deletes a chunk of the bin's oldest requests past its newest `keep`. */
  trimBin(bin: string, keep: number): Promise<TrimOutcome>;
  /** Bytes the stored data takes, as the size cap counts them. */
  storedBytes(): Promise<number>;
  /** Whether a failed insert failed for want of room on the disk. */
  isDiskFull(error: unknown): boolean;
  /** The engine's own periodic upkeep, run after each sweep. */
  upkeep?(): Promise<void>;
}

/** Lets the event loop answer what waits before the next step: an engine's step may be synchronous. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * When retention runs, off the request path, the same on both engines: a sweep at start and every
 * minute (expired requests, bins over their limit), bins trimmed as soon as an insert takes them past
 * their limit, and the oldest requests evicted after inserts while the data exceeds the size cap. One
 * job of each kind at a time, and one deleting step of all of them at a time; a failure is logged and
 * tried again by the next sweep or insert.
 */
export class RetentionSchedule<Id> {
  readonly #steps: RetentionSteps<Id>;
  readonly #options: RetentionOptions;
  /** Bins over their limit, each with how often it was flagged (so a trim under way does not lose a new flag). */
  readonly #binsOverLimit = new Map<string, number>();
  readonly #running = new Map<string, Promise<void>>();
  /** Roughly what inserts added since the size was last measured. */
  #addedSinceSizeCheck = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  readonly #cap: SizeCap;
  #fullDiskRunAt = -Infinity;
  /** The last deleting step this instance began: the next waits for it (see #step). */
  #lastStep: Promise<unknown> = Promise.resolve();

  constructor(steps: RetentionSteps<Id>, options: RetentionOptions) {
    this.#steps = steps;
    this.#options = options;
    this.#cap = new SizeCap(options.maxDbBytes);
  }

  start(): void {
    this.#timer = setInterval(() => this.#run('sweep', () => this.#sweep()), sweepIntervalMs);
    this.#timer.unref();
    this.#run('sweep', () => this.#sweep());
    // A cap lowered since the data was stored (or a database brought from elsewhere) holds from the start.
    this.#run('evict', () => this.#evictOverCap());
  }

  /** After an insert: what it stored, and the request count each bin it went into has now. */
  inserted(stored: readonly StoredRequest[], binCounts: Iterable<[bin: string, requestCount: number]>): void {
    for (const [bin, count] of binCounts) if (isOverLimit(count, this.#options.maxRequestsPerBin)) this.#flag(bin);
    if (this.#binsOverLimit.size > 0) this.#run('trim', () => this.#trimBins());
    for (const request of stored) this.#addedSinceSizeCheck += request.body.byteLength + rowOverheadBytes;
    if (this.#sizeCheckDue()) this.#run('evict', () => this.#evictOverCap());
  }

  /**
   * An insert failed. When for want of room, the cap comes down to what the disk could hold and
   * retention runs at once (expired requests, then the oldest over the cap), so captures find room
   * again by themselves.
   */
  insertFailed(error: unknown): void {
    if (this.#stopped || !this.#steps.isDiskFull(error)) return;
    const now = performance.now();
    if (now - this.#fullDiskRunAt < fullDiskRunMs) return;
    this.#fullDiskRunAt = now;
    this.#run('sweep', () => this.#sweep());
    this.#run('evict', async () => {
      const target = this.#cap.diskFull(await this.#steps.storedBytes());
      if (target !== null) await this.#evictDownTo(target);
    });
  }

  /** The bin was deleted. */
  forgetBin(bin: string): void {
    this.#binsOverLimit.delete(bin);
  }

  /** Stops scheduling and waits for the work under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await Promise.all(this.#running.values());
  }

  #flag(bin: string): void {
    this.#binsOverLimit.set(bin, (this.#binsOverLimit.get(bin) ?? 0) + 1);
  }

  #sizeCheckDue(): boolean {
    const cap = this.#cap.bytes;
    if (cap === null || this.#addedSinceSizeCheck < Math.min(sizeCheckBytes, cap / 64)) return false;
    this.#addedSinceSizeCheck = 0;
    return true;
  }

  /** Runs `work` on the next turn of the event loop (never on the path of the insert that asks), unless work of that kind is under way already. */
  #run(kind: string, work: () => Promise<void>): void {
    if (this.#stopped || this.#running.has(kind)) return;
    const running = nextTurn()
      .then(() => (this.#stopped ? undefined : work()))
      .catch((error: unknown) => {
        if (!this.#stopped) console.error(`authbin: retention (${kind}) could not run now and will be retried: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => this.#running.delete(kind));
    this.#running.set(kind, running);
  }

  async #sweep(): Promise<void> {
    try {
      for (const bin of await this.#steps.binsOverLimit(this.#options.maxRequestsPerBin)) this.#flag(bin);
      const expire = (oldest: AgedRequest<Id>[]) => expiredPrefix(oldest, Date.now(), this.#options.retentionDays);
      while (!this.#stopped) {
        const step = await this.#step(() => this.#steps.deleteOldest(expire));
        if (step === 'busy' || !step.deleted || step.read < retentionChunk) break;
        await nextTurn();
      }
      if (this.#binsOverLimit.size > 0) this.#run('trim', () => this.#trimBins());
    } finally {
      if (!this.#stopped) await this.#steps.upkeep?.();
    }
  }

  /** Trims the bins over their limit a chunk at a time; when another instance is deleting, they wait for the next turn. */
  async #trimBins(): Promise<void> {
    while (this.#binsOverLimit.size > 0) {
      for (const [bin, flagged] of [...this.#binsOverLimit]) {
        if (this.#stopped) return;
        const outcome = await this.#step(() => this.#steps.trimBin(bin, this.#options.maxRequestsPerBin));
        if (outcome === 'busy') return;
        // Inserts during the trim may have taken the bin over its limit again: then it goes round once more.
        if (outcome === 'done' && this.#binsOverLimit.get(bin) === flagged) this.#binsOverLimit.delete(bin);
        await nextTurn();
      }
    }
  }

  async #evictOverCap(): Promise<void> {
    const cap = this.#cap.bytes;
    if (cap !== null) await this.#evictDownTo(cap);
  }

  /**
   * Evicts the oldest until the data is within `bytes`. Another instance deleting only delays it: given
   * up then, the eviction would be tried again only once a mebibyte more was captured.
   */
  async #evictDownTo(bytes: number): Promise<void> {
    while (!this.#stopped && (await this.#steps.storedBytes()) > bytes) {
      const step = await this.#step(() => this.#steps.deleteOldest(evictionPrefix));
      if (step === 'busy') await pause(busyRetryMs);
      else if (!step.deleted) return;
      else await nextTurn();
    }
  }

  /**
   * Runs a deleting step once this instance's step before it has finished. The sweep, a trim and an
   * eviction run side by side; on PostgreSQL each step tries the lock that keeps instances from
   * deleting at once, and a step of the same instance holding it would make another report `busy`
   * and its job give up (the eviction at start did, and a cap lowered since the last start then held
   * only once a mebibyte more was captured).
   */
  #step<T>(step: () => Promise<T>): Promise<T> {
    const result = this.#lastStep.then(step);
    this.#lastStep = result.catch(() => undefined);
    return result;
  }
}
