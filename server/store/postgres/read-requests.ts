import type pg from 'pg';
import { matchesFilter, type RequestFilter } from '../search.ts';
import type { StoredPage, StoredRequest } from '../store.ts';
import { requestColumns, toStoredRequest, type RequestRow } from './rows.ts';
import { searchQuery } from './search-terms.ts';

/** Rows looked at per step when filtering. */
const filterChunk = 200;

export async function readRequests(pool: pg.Pool, sql: string, params: unknown[]): Promise<StoredRequest[]> {
  return (await pool.query<RequestRow>(sql, params)).rows.map(toStoredRequest);
}

/**
 * Newest first, the requests of a bin that match a filter: candidates come from the full-text index
 * (or a scan of the bin when the filter has nothing the index can narrow by), a chunk at a time,
 * and `matchesFilter` has the last word on each — the same rule, and so the same answer, as SQLite.
 */
export async function searchRequests(pool: pg.Pool, bin: string, limit: number, before: string | undefined, filter: RequestFilter): Promise<StoredPage> {
  const found: StoredRequest[] = [];
  const wanted = limit + 1;
  const query = searchQuery(filter, bin);
  let cursor = before ?? null;
  while (found.length < wanted) {
    const rows =
      query === null
        ? await readRequests(pool, `SELECT ${requestColumns} FROM requests WHERE bin = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`, [bin, cursor, filterChunk])
        : await readRequests(
            pool,
            `SELECT ${requestColumns} FROM requests WHERE bin = $1 AND ($2::bigint IS NULL OR id < $2) AND search @@ $4::tsquery ORDER BY id DESC LIMIT $3`,
            [bin, cursor, filterChunk, query],
          );
    for (const request of rows) if (found.length < wanted && matchesFilter(request, filter)) found.push(request);
    // Ids follow arrival, so past `since` nothing older can match.
    const tooOld = filter.since !== undefined && rows.length > 0 && rows[rows.length - 1]!.receivedAt < filter.since;
    if (rows.length < filterChunk || tooOld) break;
    cursor = rows[rows.length - 1]!.id;
  }
  const requests = found.slice(0, limit);
  return { requests, next: found.length > limit ? requests[requests.length - 1]!.id : null };
}
