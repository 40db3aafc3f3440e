/** Sources tracked at most: some 100 bytes each. Past it the one idle longest is dropped. */
const defaultMaxSources = 50_000;

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms). */
  at: number;
}

/**
 * A token bucket per source: each holds up to `burst` tokens, refilled at `rate` a second, and
 * every request takes one. Buckets live in a Map in order of last use, so the least recently used
 * is the first; one that has refilled completely is the same as none, and is dropped.
 */
export class RateLimit {
  readonly #buckets = new Map<string, Bucket>();
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
    this.#now = options.now ?? Date.now;
    this.#refillMs = (options.burst / options.rate) * 1000;
  }

  /** Takes a token for `source`: 0 when there was one, else the whole seconds until there is. */
  take(source: string): number {
    const now = this.#now();
    let bucket = this.#buckets.get(source);
    if (bucket) {
      this.#buckets.delete(source);
      bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) * this.#rate) / 1000);
      bucket.at = now;
    } else {
      bucket = { tokens: this.#burst, at: now };
    }
    this.#buckets.set(source, bucket);
    this.#dropIdle(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#rate));
  }

  /** How many sources are tracked. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Drops the least recently used buckets past the cap, and a couple of full ones at the front each time. */
  #dropIdle(now: number): void {
    for (const source of this.#buckets.keys()) {
      if (this.#buckets.size <= this.#maxSources) break;
      this.#buckets.delete(source);
    }
    for (let i = 0; i < 2; i++) {
      const [source, bucket] = this.#buckets.entries().next().value!;
      if (now - bucket.at < this.#refillMs) return;
      this.#buckets.delete(source);
    }
  }
}
