import type pg from 'pg';
import type { Bin, BinResponse } from '../../../shared/api.ts';
import type { BinSettings } from '../bin-cache.ts';
import { binActivity, idContainsPattern } from '../bin-filter.ts';
import { toBin } from '../columns.ts';
import type { BinChange, BinQuery } from '../store.ts';
import type { BinRow } from './rows.ts';
import { inTransaction, lockKeys } from './transaction.ts';

/** Bins in PostgreSQL, which several instances may write at once. */

async function binRows(db: pg.Pool | pg.ClientBase, sql: string, params: unknown[]): Promise<Bin[]> {
  return (await db.query<BinRow>(sql, params)).rows.map(toBin);
}

export function listBins(pool: pg.Pool, query: BinQuery): Promise<Bin[]> {
  const pattern = idContainsPattern(query.idContains);
  const order = `ORDER BY ${binActivity} DESC, id LIMIT`;
  if (!query.after) return binRows(pool, `SELECT * FROM bins WHERE id ILIKE $1 ESCAPE '\\' ${order} $2`, [pattern, query.limit]);
  const { activity, id } = query.after;
  return binRows(pool, `SELECT * FROM bins WHERE ${binActivity} <= $1 AND (${binActivity} < $1 OR id > $2) AND id ILIKE $3 ESCAPE '\\' ${order} $4`, [activity, id, pattern, query.limit]);
}

export async function getBin(db: pg.Pool | pg.ClientBase, id: string): Promise<Bin | undefined> {
  return (await binRows(db, 'SELECT * FROM bins WHERE id = $1', [id]))[0];
}

export async function binSettings(pool: pg.Pool, id: string): Promise<BinSettings> {
  const bin = await getBin(pool, id);
  return { response: bin?.response ?? null, forwardTo: bin?.forwardTo ?? null };
}

/** Creates the bin a capture names unless `maxBins` exist already; whether it exists then. */
export async function admitBin(pool: pg.Pool, id: string, maxBins: number): Promise<boolean> {
  if (await getBin(pool, id)) return true;
  return inTransaction(pool, async (client) => {
    // Every instance's captures create bins one at a time: racing at the limit, they cannot count the same free place.
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...lockKeys.bins]);
    const { rowCount } = await client.query('INSERT INTO bins (id, created_at) SELECT $1, $2 WHERE (SELECT count(*) FROM bins) < $3 ON CONFLICT DO NOTHING', [
      id,
      Date.now(),
      maxBins,
    ]);
    // Not inserted: the limit is reached, or the API created it meanwhile.
    return rowCount === 1 || (await getBin(client, id)) !== undefined;
  });
}

export async function createBin(pool: pg.Pool, id: string, response: BinResponse | null): Promise<Bin | undefined> {
  const sql = 'INSERT INTO bins (id, created_at, response) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING *';
  return (await binRows(pool, sql, [id, Date.now(), response ? JSON.stringify(response) : null]))[0];
}

export async function updateBin(pool: pg.Pool, id: string, change: BinChange): Promise<Bin | undefined> {
  const sql = `UPDATE bins SET
      response = CASE WHEN $2 THEN $3 ELSE response END,
      forward_to = CASE WHEN $4 THEN $5 ELSE forward_to END
    WHERE id = $1 RETURNING *`;
  const response = change.response ? JSON.stringify(change.response) : null;
  return (await binRows(pool, sql, [id, change.response !== undefined, response, change.forwardTo !== undefined, change.forwardTo ?? null]))[0];
}

/** Deletes a bin and its requests; false when there was none. */
export async function deleteBin(pool: pg.Pool, id: string): Promise<boolean> {
  const rowCount = await inTransaction(pool, async (client) => {
    // Requests before their bin, as every other deletion goes, so two deletions never wait on each other.
    await client.query('DELETE FROM requests WHERE bin = $1', [id]);
    return (await client.query('DELETE FROM bins WHERE id = $1', [id])).rowCount;
  });
  return rowCount! > 0;
}
