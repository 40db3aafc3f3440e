import { matchesFilter } from './request-filter.ts';
import { pageOf, pageStart, rowsForPage } from './paging.ts';
import type { RequestFilter, StoredPage, StoredRequest } from './store.ts';

/** Candidates read per step. */
export const scanChunk = 200;

/** Where a filtered scan reads a bin's candidates from: a full-text index, or the bin's rows. */
export interface CandidateSource {
  /**
   * Newest first, at most `count` of the bin's requests that may match the filter (a superset is
   * fine), with ids below `below` (from the newest when undefined) and above `above`.
   */
  read(below: bigint | undefined, count: number): StoredRequest[] | Promise<StoredRequest[]>;
  /** The source covers only ids above this one; older ones come from the next source. Undefined: down to the oldest. */
  above?: bigint;
}

const same = (request: StoredRequest) => request;

/**
 * A page of the requests of a bin that match `filter`, newest first. Candidates come from each
 * source in turn, a chunk at a time, and `matchesFilter` has the last word on each: every engine,
 * whatever its index found, gives the same answer.
 */
export async function filteredScan(sources: readonly CandidateSource[], filter: RequestFilter, limit: number, before: string | undefined): Promise<StoredPage> {
  const found: StoredRequest[] = [];
  const wanted = rowsForPage(limit);
  let below = pageStart(before);
  for (const source of sources) {
    if (source.above !== undefined && below !== undefined && below <= source.above + 1n) continue;
    for (;;) {
      const rows = await source.read(below, scanChunk);
      for (const request of rows) if (found.length < wanted && matchesFilter(request, filter)) found.push(request);
      // Ids follow arrival, so past `since` nothing older can match.
      const tooOld = filter.since !== undefined && rows.length > 0 && rows[rows.length - 1]!.receivedAt < filter.since;
      if (found.length >= wanted || tooOld) return pageOf(found, limit, same);
      if (rows.length < scanChunk) break;
      below = BigInt(rows[rows.length - 1]!.id);
    }
    if (source.above === undefined) break;
    below = source.above + 1n;
  }
  return pageOf(found, limit, same);
}
