import type pg from 'pg';
import type { Bin } from '../../../shared/api.ts';
import { binActivity, idContainsPattern } from '../bin-filter.ts';
import { toBin } from '../columns.ts';
import type { BinTable } from '../engine.ts';
import type { BinRow } from './rows.ts';
import { inTransaction, lockKeys } from './transaction.ts';

async function binRows(db: pg.Pool | pg.ClientBase, sql: string, params: unknown[]): Promise<Bin[]> {
  return (await db.query<BinRow>(sql, params)).rows.map(toBin);
}

const exists = async (db: pg.Pool | pg.ClientBase, id: string) =>
  (await db.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM bins WHERE id = $1) AS found', [id])).rows[0]!.found;

/** Bins in PostgreSQL, which several instances may write at once. */
export function postgresBins(pool: pg.Pool): BinTable {
  const get = async (id: string) => (await binRows(pool, 'SELECT * FROM bins WHERE id = $1', [id]))[0];
  return {
    list(query) {
      const pattern = idContainsPattern(query.idContains);
      const order = `ORDER BY ${binActivity} DESC, id LIMIT`;
      if (!query.after) return binRows(pool, `SELECT * FROM bins WHERE id ILIKE $1 ESCAPE '\\' ${order} $2`, [pattern, query.limit]);
      const { activity, id } = query.after;
      return binRows(pool, `SELECT * FROM bins WHERE ${binActivity} <= $1 AND (${binActivity} < $1 OR id > $2) AND id ILIKE $3 ESCAPE '\\' ${order} $4`, [
        activity,
        id,
        pattern,
        query.limit,
      ]);
    },

    get,

    async settings(id) {
      const bin = await get(id);
      return { response: bin?.response ?? null, forwardTo: bin?.forwardTo ?? null };
    },

    async admit(id, maxBins) {
      if (await exists(pool, id)) return true;
      return inTransaction(pool, async (client) => {
        // Every instance's captures create bins one at a time: racing at the limit, they cannot count the same free place.
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...lockKeys.bins]);
        const insert = 'INSERT INTO bins (id, created_at) SELECT $1, $2 WHERE (SELECT count(*) FROM bins) < $3 ON CONFLICT DO NOTHING';
        const { rowCount } = await client.query(insert, [id, Date.now(), maxBins]);
        // Not inserted: the limit is reached, or the API created it meanwhile.
        return rowCount === 1 || (await exists(client, id));
      });
    },

    async create(id, response) {
      const sql = 'INSERT INTO bins (id, created_at, response) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING *';
      return (await binRows(pool, sql, [id, Date.now(), response ? JSON.stringify(response) : null]))[0];
    },

    async update(id, change) {
      const sql = `UPDATE bins SET
          response = CASE WHEN $2 THEN $3 ELSE response END,
          forward_to = CASE WHEN $4 THEN $5 ELSE forward_to END
        WHERE id = $1 RETURNING *`;
      const response = change.response ? JSON.stringify(change.response) : null;
      return (await binRows(pool, sql, [id, change.response !== undefined, response, change.forwardTo !== undefined, change.forwardTo ?? null]))[0];
    },

    async delete(id) {
      const rowCount = await inTransaction(pool, async (client) => {
        // Requests before their bin, as every other deletion goes, so two deletions never wait on each other.
        await client.query('DELETE FROM requests WHERE bin = $1', [id]);
        return (await client.query('DELETE FROM bins WHERE id = $1', [id])).rowCount;
      });
      return rowCount! > 0;
    },
  };
}
