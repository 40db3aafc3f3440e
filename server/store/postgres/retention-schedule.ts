import type pg from 'pg';
import { Retention, type RetentionOptions } from './retention.ts';

const sweepIntervalMs = 60_000;

/**
 * When retention runs, off the request path: a sweep at start and every minute (expired requests,
 * bins over their limit, the size log folded), bins trimmed as soon as an insert takes them past
 * their limit, and the oldest requests evicted after an insert while the data exceeds the size cap.
 * A failure is logged and tried again by the next sweep or insert.
 */
export class RetentionSchedule {
  readonly #retention: Retention;
  readonly #options: RetentionOptions;
  /** Bins over their limit, each with how often an insert flagged it (so a trim under way does not lose a new flag). */
  readonly #binsOverLimit = new Map<string, number>();
  readonly #running = new Map<string, Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(pool: pg.Pool, options: RetentionOptions) {
    this.#retention = new Retention(pool, options);
    this.#options = options;
  }

  async start(): Promise<void> {
    for (const bin of await this.#retention.binsOverLimit()) this.#flag(bin);
    this.#timer = setInterval(() => this.#run('sweep', () => this.#sweep()), sweepIntervalMs);
    this.#timer.unref();
    setImmediate(() => this.#run('sweep', () => this.#sweep()));
  }

  /** After an insert: the request count each bin it went into has now. */
  inserted(binCounts: Iterable<[bin: string, requestCount: number]>): void {
    for (const [bin, count] of binCounts) if (count > this.#options.maxRequestsPerBin) this.#flag(bin);
    if (this.#binsOverLimit.size > 0) this.#run('trim', () => this.#trimBins());
    if (this.#options.maxDbBytes != null) this.#run('evict', () => this.#evictOverCap());
  }

  #flag(bin: string): void {
    this.#binsOverLimit.set(bin, (this.#binsOverLimit.get(bin) ?? 0) + 1);
  }

  forgetBin(bin: string): void {
    this.#binsOverLimit.delete(bin);
  }

  /** Stops scheduling and waits for the work under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await Promise.all(this.#running.values());
  }

  /** Runs `work` unless work of that kind is under way already. */
  #run(kind: string, work: () => Promise<void>): void {
    if (this.#stopped || this.#running.has(kind)) return;
    const running = work()
      .catch((error: Error) => {
        if (!this.#stopped) console.error(`authbin: retention: ${error.message}`);
      })
      .finally(() => this.#running.delete(kind));
    this.#running.set(kind, running);
  }

  async #sweep(): Promise<void> {
    while (!this.#stopped && (await this.#retention.expireSome()));
    this.#run('trim', () => this.#trimBins());
    if (!this.#stopped) await this.#retention.compactSizeLog();
  }

  /** Trims the bins over their limit a chunk at a time; when another instance is sweeping, they wait for the next turn. */
  async #trimBins(): Promise<void> {
    while (this.#binsOverLimit.size > 0) {
      for (const [bin, flagged] of [...this.#binsOverLimit]) {
        if (this.#stopped) return;
        const outcome = await this.#retention.trimBin(bin);
        if (outcome === 'busy') return;
        // Inserts during the trim may have taken the bin over its limit again: then it goes round once more.
        if (outcome === 'done' && this.#binsOverLimit.get(bin) === flagged) this.#binsOverLimit.delete(bin);
      }
    }
  }

  async #evictOverCap(): Promise<void> {
    while (!this.#stopped && this.#retention.overSizeCap(await this.#retention.storedBytes())) {
      if (!(await this.#retention.evictOldest())) return;
    }
  }
}
