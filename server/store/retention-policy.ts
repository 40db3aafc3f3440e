/**
 * What retention deletes, the same on both engines: requests older than the retention period, the
 * oldest of a bin past its limit, and the oldest of all while the data exceeds the size cap. When
 * it runs is retention-schedule.ts; each engine's retention.ts does the deleting.
 */

export interface RetentionOptions {
  /** Newest requests kept per bin; older ones are deleted in the background. */
  maxRequestsPerBin: number;
  /** Requests older than this many days are deleted in the background. */
  retentionDays: number;
  /** When set, the oldest requests are deleted while the stored data takes more than this many bytes. */
  maxDbBytes?: number | null;
}

/** Rows looked at, or deleted, per retention step, so that no step holds its locks for long. */
export const retentionChunk = 1000;

/** One of the oldest requests, as retention looks at them. */
export interface AgedRequest<Id> {
  id: Id;
  bin: string;
  receivedAt: number;
}

/** Deletes every request up to `upTo` (ids grow with time: the oldest are a prefix of the table), then recounts `bins`. */
export interface PrefixDeletion<Id> {
  upTo: Id;
  bins: string[];
}

function prefix<Id>(rows: readonly AgedRequest<Id>[]): PrefixDeletion<Id> | undefined {
  if (rows.length === 0) return undefined;
  return { upTo: rows[rows.length - 1]!.id, bins: [...new Set(rows.map((row) => row.bin))] };
}

/** Of the oldest requests (oldest first), the ones past the retention period at `now`. */
export function expiredPrefix<Id>(oldest: readonly AgedRequest<Id>[], now: number, retentionDays: number): PrefixDeletion<Id> | undefined {
  const cutoff = now - retentionDays * 86_400_000;
  const fresh = oldest.findIndex((row) => row.receivedAt >= cutoff);
  return prefix(fresh === -1 ? oldest : oldest.slice(0, fresh));
}

/** Of the oldest requests, the ones to evict while the data exceeds the size cap: a tenth, enough to make room without emptying more than needed. */
export function evictionPrefix<Id>(oldest: readonly AgedRequest<Id>[]): PrefixDeletion<Id> | undefined {
  return prefix(oldest.slice(0, Math.ceil(oldest.length / 10)));
}

/** Whether a bin holding `count` requests is trimmed: a little over the limit is let be, so trimming happens in batches rather than after every capture. */
export function isOverLimit(count: number, maxRequestsPerBin: number): boolean {
  return count > maxRequestsPerBin + Math.floor(maxRequestsPerBin / 100);
}
