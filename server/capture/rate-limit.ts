/** Sources tracked at most: some 150 bytes each. */
const defaultMaxSources = 50_000;

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms). */
  at: number;
}

/**
 * A token bucket per source: each holds up to `burst` tokens, refilled at `rate` a second, and
 * every request takes one.
 *
 * Buckets live in two generations: a new one starts once a bucket has had time to refill (or the
 * current one holds half of `maxSources`), and a bucket not used during two generations is
 * dropped, being full again, the same as none. That bounds memory without walking the buckets:
 * only past `maxSources / 2` senders within one refill time may a bucket be dropped early.
 */
export class RateLimit {
  #current = new Map<string, Bucket>();
  #previous = new Map<string, Bucket>();
  #generationStart: number;
  readonly #rate: number;
  readonly #burst: number;
  readonly #maxSources: number;
  readonly #now: () => number;
  /** Idle this long, a bucket is full again. */
  readonly #refillMs: number;

  constructor(options: { rate: number; burst: number; maxSources?: number; now?: () => number }) {
    this.#rate = options.rate;
    this.#burst = options.burst;
    this.#maxSources = options.maxSources ?? defaultMaxSources;
    // Monotonic: a wall clock stepped back would leave every bucket empty until it caught up again.
    this.#now = options.now ?? (() => performance.now());
    this.#refillMs = (options.burst / options.rate) * 1000;
    this.#generationStart = this.#now();
  }

  /** Takes a token for `source`: 0 when there was one, else the whole seconds until there is. */
  take(source: string): number {
    const now = this.#now();
    this.#turnGeneration(now);
    let bucket = this.#current.get(source);
    if (bucket) {
      bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) * this.#rate) / 1000);
      bucket.at = now;
    } else {
      bucket = this.#previous.get(source);
      if (bucket) {
        this.#previous.delete(source);
        bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) * this.#rate) / 1000);
        bucket.at = now;
      } else {
        bucket = { tokens: this.#burst, at: now };
      }
      this.#current.set(source, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#rate));
  }

  /** How many sources are tracked. */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  #turnGeneration(now: number): void {
    const idle = now - this.#generationStart;
    if (idle < this.#refillMs && this.#current.size < this.#maxSources / 2) return;
    this.#previous = idle >= 2 * this.#refillMs ? new Map() : this.#current;
    this.#current = new Map();
    this.#generationStart = now;
  }
}
