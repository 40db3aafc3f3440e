/** Of the data held when the disk filled, the share the cap comes down to: eviction then frees a tenth for new captures. */
const fullDiskShare = 0.9;

/**
 * The size the stored data may take before retention evicts the oldest requests: the configured cap
 * (`--max-db-bytes`), or less once the disk filled before the data reached it — then 90% of what
 * was held the first time, so that retention makes room and captures are taken again by themselves
 * rather than answered `503` until someone deletes by hand. Each later time the disk fills (the WAL
 * grew, another program took room) a tenth of the data is evicted once, without lowering the cap
 * again: lowered at each, the cap would shrink by a tenth per fill on a busy disk, towards nothing.
 * With no cap (`--max-db-bytes off`) nothing is evicted for size: the operator chose to keep
 * everything and delete by hand.
 */
export class SizeCap {
  #bytes: number | null;
  #lowered = false;

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

  /**
   * The disk was full with `storedBytes` of data held: the first time, the cap comes down to 90% of
   * it (unless lower already). Returns what to evict down to now (90% of it), or null with no cap.
   */
  diskFull(storedBytes: number): number | null {
    if (this.#bytes === null) return null;
    const target = Math.floor(storedBytes * fullDiskShare);
    if (!this.#lowered) {
      this.#bytes = Math.min(this.#bytes, target);
      this.#lowered = true;
    }
    return target;
  }
}
