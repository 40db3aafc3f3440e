/**
 * How far the database's WAL may grow before the main connection copies it back itself. The upkeep
 * thread copies it back long before (see CheckpointPace); this is for when it cannot: a thread
 * starved of CPU, or requests arriving faster than it indexes them. Then capture pays for the copy.
 */
export const walCeilingBytes = 16 * 1024 * 1024;

/** While captures keep arriving, the WAL is copied back at least this often… */
const copyIntervalMs = 1000;
/** …or once about this many bytes of requests went into it since the last copy, well before the ceiling. */
const copyStepBytes = 8 * 1024 * 1024;

/**
 * When the upkeep thread copies the WAL back into the database (a passive checkpoint) while captures
 * arrive. Each copy writes every page changed since the last one and syncs both files, and under a
 * stream of captures the same pages change again and again (the last page of each table and index,
 * the search file's segments as they merge): copied once a second rather than every few commits,
 * each is written back once per second. Bytes count too, so that large bodies arriving fast are
 * copied in steps of `copyStepBytes` and the WAL stays far below `walCeilingBytes`.
 */
export class CheckpointPace {
  #copiedAt: number;
  #bytesAtCopy = 0;

  /** `now` in milliseconds, on a clock that only goes forward (performance.now()). */
  constructor(now: number) {
    this.#copiedAt = now;
  }

  /** Whether a copy is due at `now`, `bytes` being how much has gone into the WAL so far (a running total). */
  due(now: number, bytes: number): boolean {
    return now - this.#copiedAt >= copyIntervalMs || bytes - this.#bytesAtCopy >= copyStepBytes;
  }

  /** A copy was made at `now`, with `bytes` in the WAL so far. */
  copied(now: number, bytes: number): void {
    this.#copiedAt = now;
    this.#bytesAtCopy = bytes;
  }
}
