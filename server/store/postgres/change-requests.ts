import type pg from 'pg';
import type { ForwardResult } from '../../../shared/api.ts';
import { recount } from './retention.ts';
import { inTransaction } from './transaction.ts';

/** Changing stored requests through the API: deleting one, clearing a bin, recording a relay. */

/** Deletes a request; false when there was none. */
export function deleteRequest(pool: pg.Pool, id: string): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ bin: string }>('DELETE FROM requests WHERE id = $1 RETURNING bin', [id]);
    await recount(client, rows.map((r) => r.bin));
    return rows.length > 0;
  });
}

/** Deletes every request of a bin; how many there were. */
export function clearBin(pool: pg.Pool, bin: string): Promise<number> {
  return inTransaction(pool, async (client) => {
    const { rowCount } = await client.query('DELETE FROM requests WHERE bin = $1', [bin]);
    await recount(client, [bin]);
    return rowCount!;
  });
}

export async function recordForward(pool: pg.Pool, id: string, result: ForwardResult): Promise<void> {
  await pool.query('UPDATE requests SET forward = $1 WHERE id = $2', [JSON.stringify(result), id]);
}
