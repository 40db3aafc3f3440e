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

/**
 * While captures keep arriving, how often each WAL allowed its full 16 MiB is copied back; a smaller
 * one proportionally more often. The database's WAL grows by a 16 KiB page for every page a commit
 * touches (the last page of each table and index, rewritten by each batch of captures), several
 * times faster than the requests themselves: copied back every 100 ms, it starts over well before
 * its ceiling, where capture's own connection would copy it on the event loop. The search file's
 * WAL grows only with the index steps, and its index segments change again at each: once a second.
 */
export const copyIntervalsMs = { database: 100, search: 1000 } as const;

/**
 * When the upkeep thread copies a WAL back into its file (a passive checkpoint) while captures
 * arrive. Each copy writes every page changed since the last one and syncs both files, and under a
 * stream of captures the same pages change again and again: copied at a pace rather than after
 * every step, each is written back once per interval. Bytes count too: once half the WAL's ceiling
 * of requests went in since the last copy, it is copied back. On a small disk (a size cap under
 * 256 MiB) the ceiling, the steps and the interval are smaller.
 */
export class CheckpointPace {
  readonly #stepBytes: number;
  /** How often a copy falls due by the clock while captures arrive. */
  readonly intervalMs: number;
  #copiedAt: number;
  #bytesAtCopy = 0;

  /**
   * `now` in milliseconds, on a clock that only goes forward (performance.now()); `ceilingBytes` from
   * walCeilingBytes(); `intervalMs` one of copyIntervalsMs.
   */
  constructor(now: number, ceilingBytes: number, intervalMs: number) {
    this.#copiedAt = now;
    this.#stepBytes = ceilingBytes / 2;
    // On a small disk a WAL copied back seldom keeps room the next captures need (a slow sender waits 503s out).
    this.intervalMs = (intervalMs * ceilingBytes) / walCeilingBytes(null);
  }

  /** Whether a copy is due at `now`, `bytes` being how much has gone into the WAL so far (a running total). */
  due(now: number, bytes: number): boolean {
    return now - this.#copiedAt >= this.intervalMs || bytes - this.#bytesAtCopy >= this.#stepBytes;
  }

  /** A copy was made at `now`, with `bytes` in the WAL so far. */
  copied(now: number, bytes: number): void {
    this.#copiedAt = now;
    this.#bytesAtCopy = bytes;
  }
}
