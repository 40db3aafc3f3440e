import type pg from 'pg';
import type { RequestTable } from '../engine.ts';
import { pageOf, pageStart, rowsForPage } from '../paging.ts';
import { searchTerms } from '../request-filter.ts';
import type { StoredRequest } from '../store.ts';
import { selectedRequestColumns, toStoredRequest, type RequestRow } from './rows.ts';
import { tsQuery } from './search-terms.ts';

async function requestRows(pool: pg.Pool, sql: string, params: unknown[]): Promise<RequestRow[]> {
  return (await pool.query<RequestRow>(sql, params)).rows;
}

/** A bin's requests below an id (`$2`, null for none), to order newest first. */
const binRowsBelow = `SELECT ${selectedRequestColumns} FROM requests WHERE bin = $1 AND ($2::bigint IS NULL OR id < $2)`;

/** Oldest first: the committed requests of every bin with `afterId < id <= upToId` (all after `afterId` when `upToId` is null), for live events. */
export async function readRange(pool: pg.Pool, afterId: string, upToId: string | null, limit: number): Promise<StoredRequest[]> {
  const sql = `SELECT ${selectedRequestColumns} FROM requests WHERE id > $1 AND ($2::bigint IS NULL OR id <= $2) ORDER BY id LIMIT $3`;
  return (await requestRows(pool, sql, [afterId, upToId, limit])).map(toStoredRequest);
}

/** Reading requests back. Every request is in the full-text index as soon as it is committed. */
export function postgresRequestReads(pool: pg.Pool): Pick<RequestTable, 'page' | 'candidates' | 'after' | 'get'> {
  return {
    async page(bin, limit, before) {
      const rows = await requestRows(pool, `${binRowsBelow} ORDER BY id DESC LIMIT $3`, [bin, pageStart(before) ?? null, rowsForPage(limit)]);
      return pageOf(rows, limit, toStoredRequest);
    },

    /** The full-text index finds the candidates (or the bin's rows are read, when the filter has nothing it can narrow by). */
    candidates(bin, filter) {
      const terms = searchTerms(filter, bin);
      const query = terms && tsQuery(terms);
      const sql = query === null ? `${binRowsBelow} ORDER BY id DESC LIMIT $3` : `${binRowsBelow} AND search @@ $4::tsquery ORDER BY id DESC LIMIT $3`;
      return [{ read: async (below, count) => (await requestRows(pool, sql, [bin, below ?? null, count, ...(query === null ? [] : [query])])).map(toStoredRequest) }];
    },

    async after(bin, afterId, limit) {
      return (await requestRows(pool, `SELECT ${selectedRequestColumns} FROM requests WHERE bin = $1 AND id > $2 ORDER BY id LIMIT $3`, [bin, afterId, limit])).map(toStoredRequest);
    },

    async get(id) {
      const [row] = await requestRows(pool, `SELECT ${selectedRequestColumns} FROM requests WHERE id = $1`, [id]);
      return row && toStoredRequest(row);
    },
  };
}
