const mib = 1024 * 1024;

/**
 * How far the database's WAL may grow before capture's own connection copies it back: a sixteenth
 * of the size cap (`--max-db-bytes`), between 4 and 16 MiB, so that on a small disk the WAL keeps to
 * a small share of it. The upkeep thread copies it back well before (see CheckpointPace); capture
 * pays for the copy only when that thread cannot keep up (starved of CPU, or requests arriving
 * faster than it indexes them).
 */
export function walCeilingBytes(sizeCapBytes: number | null | undefined): number {
  if (sizeCapBytes === null || sizeCapBytes === undefined) return 16 * mib;
  return Math.min(16 * mib, Math.max(4 * mib, Math.floor(sizeCapBytes / 16)));
}

/** While captures keep arriving, a WAL allowed its full 16 MiB is copied back at least this often; a smaller one proportionally more often. */
const copyIntervalMs = 1000;

/**
 * When the upkeep thread copies the WAL back into the database (a passive checkpoint) while captures
 * arrive. Each copy writes every page changed since the last one and syncs both files, and under a
 * stream of captures the same pages change again and again (the last page of each table and index,
 * the search file's segments as they merge): copied once a second rather than every few commits,
 * each is written back once per second. Bytes count too: once half the WAL's ceiling of requests
 * went in since the last copy, it is copied back, so that capture's connection seldom has to. On a
 * small disk (a size cap under 256 MiB) the ceiling, the steps and the interval are smaller.
 */
export class CheckpointPace {
  readonly #stepBytes: number;
  readonly #intervalMs: number;
  #copiedAt: number;
  #bytesAtCopy = 0;

  /** `now` in milliseconds, on a clock that only goes forward (performance.now()); `ceilingBytes` from walCeilingBytes(). */
  constructor(now: number, ceilingBytes: number) {
    this.#copiedAt = now;
    this.#stepBytes = ceilingBytes / 2;
    // On a small disk a WAL copied back seldom keeps room the next captures need (a slow sender waits 503s out).
    this.#intervalMs = (copyIntervalMs * ceilingBytes) / walCeilingBytes(null);
  }

  /** Whether a copy is due at `now`, `bytes` being how much has gone into the WAL so far (a running total). */
  due(now: number, bytes: number): boolean {
    return now - this.#copiedAt >= this.#intervalMs || bytes - this.#bytesAtCopy >= this.#stepBytes;
  }

  /** A copy was made at `now`, with `bytes` in the WAL so far. */
  copied(now: number, bytes: number): void {
    this.#copiedAt = now;
    this.#bytesAtCopy = bytes;
  }
}
