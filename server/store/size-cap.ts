/** Of the data held when the disk filled, the share the cap comes down to: eviction then frees a tenth for new captures. */
const fullDiskShare = 0.9;

/**
 * The size the stored data may take before retention evicts the oldest requests: the configured cap
 * (`--max-db-bytes`), or less once the disk filled before the data reached it — then 90% of what
 * was held at that moment, so that retention makes room and captures are taken again by themselves
 * rather than answered `503` until someone deletes by hand. Lowered only, for as long as the process
 * runs: the disk that filled once is no bigger afterwards. With no cap (`--max-db-bytes off`) nothing
 * is ever evicted for size: the operator chose to keep everything and delete by hand.
 */
export class SizeCap {
  #bytes: number | null;

  constructor(configured: number | null | undefined) {
    this.#bytes = configured ?? null;
  }

  /** The cap in force; null when there is none. */
  get bytes(): number | null {
    return this.#bytes;
  }

  /** Whether `storedBytes` of data is past the cap. */
  exceeded(storedBytes: number): boolean {
    return this.#bytes !== null && storedBytes > this.#bytes;
  }

  /** The disk was full with `storedBytes` of data held: the cap comes down to 90% of it, unless it is lower already. */
  diskFull(storedBytes: number): void {
    if (this.#bytes !== null) this.#bytes = Math.min(this.#bytes, Math.floor(storedBytes * fullDiskShare));
  }
}
