import type pg from 'pg';
import type { RequestTable } from '../engine.ts';
import { sweepAnswers } from './answers.ts';
import { recount } from './retention.ts';
import { inTransaction } from './transaction.ts';

/** Changing stored requests through the API: deleting one, clearing a bin, recording a relay. */
export function postgresRequestChanges(pool: pg.Pool): Pick<RequestTable, 'delete' | 'clearBin' | 'recordForward'> {
  return {
    async delete(id) {
      const bins = await inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ bin: string }>('DELETE FROM requests WHERE id = $1 RETURNING bin', [id]);
        await recount(client, rows.map((r) => r.bin));
        return rows.map((r) => r.bin);
      });
      await sweepAnswers(pool, bins);
      return bins.length > 0;
    },
    async clearBin(bin) {
      const deleted = await inTransaction(pool, async (client) => {
        const { rowCount } = await client.query('DELETE FROM requests WHERE bin = $1', [bin]);
        await recount(client, [bin]);
        return rowCount!;
      });
      await sweepAnswers(pool, [bin]);
      return deleted;
    },
    async recordForward(id, result) {
      await pool.query('UPDATE requests SET forward = $1 WHERE id = $2', [JSON.stringify(result), id]);
    },
  };
}
