import type pg from 'pg';
import type { CandidateSource } from '../filtered-scan.ts';
import { pageOf, pageStart, rowsForPage } from '../paging.ts';
import { searchTerms } from '../request-filter.ts';
import type { RequestFilter, StoredPage, StoredRequest } from '../store.ts';
import { requestColumns, toStoredRequest, type RequestRow } from './rows.ts';
import { tsQuery } from './search-terms.ts';

/** Reading requests back. */

async function requestRows(pool: pg.Pool, sql: string, params: unknown[]): Promise<RequestRow[]> {
  return (await pool.query<RequestRow>(sql, params)).rows;
}

const newestFirstBelow = `SELECT ${requestColumns} FROM requests WHERE bin = $1 AND ($2::bigint IS NULL OR id < $2)`;

/** A page of a bin's requests, newest first. */
export async function readPage(pool: pg.Pool, bin: string, limit: number, before: string | undefined): Promise<StoredPage> {
  const rows = await requestRows(pool, `${newestFirstBelow} ORDER BY id DESC LIMIT $3`, [bin, pageStart(before) ?? null, rowsForPage(limit)]);
  return pageOf(rows, limit, toStoredRequest);
}

/** Oldest first: the requests of a bin with an id above `afterId`. */
export async function readAfter(pool: pg.Pool, bin: string, afterId: string, limit: number): Promise<StoredRequest[]> {
  return (await requestRows(pool, `SELECT ${requestColumns} FROM requests WHERE bin = $1 AND id > $2 ORDER BY id LIMIT $3`, [bin, afterId, limit])).map(toStoredRequest);
}

/** Oldest first: the committed requests of every bin with `afterId < id <= upToId` (all after `afterId` when `upToId` is null), for live events. */
export async function readRange(pool: pg.Pool, afterId: string, upToId: string | null, limit: number): Promise<StoredRequest[]> {
  const sql = `SELECT ${requestColumns} FROM requests WHERE id > $1 AND ($2::bigint IS NULL OR id <= $2) ORDER BY id LIMIT $3`;
  return (await requestRows(pool, sql, [afterId, upToId, limit])).map(toStoredRequest);
}

export async function readRequest(pool: pg.Pool, id: string): Promise<StoredRequest | undefined> {
  const [row] = await requestRows(pool, `SELECT ${requestColumns} FROM requests WHERE id = $1`, [id]);
  return row && toStoredRequest(row);
}

/**
 * Where a filtered scan of a bin finds its candidates: the full-text index, which every request is
 * in as soon as it is committed (or the bin's rows, when the filter has nothing it can narrow by).
 */
export function candidates(pool: pg.Pool, bin: string, filter: RequestFilter): CandidateSource[] {
  const terms = searchTerms(filter, bin);
  const query = terms && tsQuery(terms);
  return [
    {
      read: async (below, count) =>
        (query === null
          ? await requestRows(pool, `${newestFirstBelow} ORDER BY id DESC LIMIT $3`, [bin, below ?? null, count])
          : await requestRows(pool, `${newestFirstBelow} AND search @@ $4::tsquery ORDER BY id DESC LIMIT $3`, [bin, below ?? null, count, query])
        ).map(toStoredRequest),
    },
  ];
}
