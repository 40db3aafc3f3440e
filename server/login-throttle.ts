const windowMs = 60_000;
const maxFailures = 20;
const maxTracked = 10_000;

/**
 * Slows token guessing: an address that sends 20 wrong tokens within a minute is refused (429)
 * until that minute is over, right token or not. Per instance and in memory.
 */
export class LoginThrottle {
  /**
   * Address → failures in its current window and when that window ends, on the monotonic clock: a
   * wall clock stepped back would block an address for as long as it was stepped.
   */
  readonly #failures = new Map<string, { count: number; until: number }>();

  /** Seconds this address must wait before it may try a token again; 0 when it may now. */
  retryAfter(address: string, now = performance.now()): number {
    const entry = this.#failures.get(address);
    if (!entry || entry.until <= now) return 0;
    return entry.count >= maxFailures ? Math.ceil((entry.until - now) / 1000) : 0;
  }

  /** Counts a wrong token; says whether the address has just been blocked (worth one log line). */
  fail(address: string, now = performance.now()): { blocked: boolean; count: number } {
    let entry = this.#failures.get(address);
    if (!entry || entry.until <= now) {
      if (this.#failures.size >= maxTracked) this.#forgetExpired(now);
      entry = { count: 0, until: now + windowMs };
      this.#failures.set(address, entry);
    }
    entry.count++;
    return { blocked: entry.count === maxFailures, count: entry.count };
  }

  #forgetExpired(now: number): void {
    for (const [address, entry] of this.#failures) if (entry.until <= now) this.#failures.delete(address);
    // Still full: a flood from many addresses; forget the oldest rather than grow without end.
    if (this.#failures.size >= maxTracked) this.#failures.delete(this.#failures.keys().next().value!);
  }
}
