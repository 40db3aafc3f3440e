import type pg from 'pg';
import { retentionChunk, type AgedRequest } from '../retention-policy.ts';
import type { OldestDeletion, RetentionSteps, TrimOutcome } from '../retention-schedule.ts';
import { sweepAnswers } from './answers.ts';
import { inTransaction, lockKeys } from './transaction.ts';

/** The size log is folded into one row once it has this many. */
const compactAbove = 200;

/**
 * Recounts bins after some of their requests were deleted. The bins' rows are locked first, so
 * the counts are taken after any insert into them has committed and before the next one.
 */
export async function recount(client: pg.ClientBase, bins: string[]): Promise<void> {
  if (bins.length === 0) return;
  const sorted = [...new Set(bins)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  await client.query('SELECT id FROM bins WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE', [sorted]);
  await client.query(
    `UPDATE bins SET
       request_count = (SELECT count(*) FROM requests WHERE bin = bins.id),
       last_request_at = (SELECT max(received_at) FROM requests WHERE bin = bins.id)
     WHERE id = ANY($1::text[])`,
    [sorted],
  );
}

/**
 * Retention's deleting on PostgreSQL (what and when: retention-policy.ts, retention-schedule.ts).
 * Each step takes an advisory lock when it is free, so instances never delete the same rows at once:
 * a step that finds it taken is `busy`.
 */
export function postgresRetentionSteps(pool: pg.Pool): RetentionSteps<string> {
  /** Runs `step` in a transaction if no other instance is deleting; false when one is. */
  const whenFree = (step: (client: pg.PoolClient) => Promise<void>): Promise<boolean> =>
    inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ free: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS free', [...lockKeys.retention]);
      if (!rows[0]!.free) return false;
      await step(client);
      return true;
    });

  /** Folds the size log into one row. */
  const compactSizeLog = async () => {
    await pool.query('WITH folded AS (DELETE FROM stored_bytes RETURNING delta) INSERT INTO stored_bytes (delta) SELECT coalesce(sum(delta), 0) FROM folded');
  };

  return {
    async binsOverLimit(maxRequestsPerBin) {
      const { rows } = await pool.query<{ id: string }>('SELECT id FROM bins WHERE request_count > $1', [maxRequestsPerBin]);
      return rows.map((r) => r.id);
    },

    async deleteOldest(choose) {
      let outcome: OldestDeletion = 'busy';
      let swept: string[] = [];
      await whenFree(async (client) => {
        const { rows } = await client.query<{ id: string; bin: string; received_at: string }>(`SELECT id, bin, received_at FROM requests ORDER BY id LIMIT ${retentionChunk}`);
        const oldest: AgedRequest<string>[] = rows.map((row) => ({ id: row.id, bin: row.bin, receivedAt: Number(row.received_at) }));
        const deletion = choose(oldest);
        if (deletion) {
          await client.query('DELETE FROM requests WHERE id <= $1', [deletion.upTo]);
          await recount(client, deletion.bins);
          swept = deletion.bins;
        }
        outcome = { read: oldest.length, deleted: deletion !== undefined };
      });
      await sweepAnswers(pool, swept);
      return outcome;
    },

    async trimBin(bin, keep) {
      let outcome: TrimOutcome = 'busy';
      let swept: string[] = [];
      await whenFree(async (client) => {
        const { rows } = await client.query<{ id: string }>('SELECT id FROM requests WHERE bin = $1 ORDER BY id DESC LIMIT 1 OFFSET $2', [bin, keep]);
        const newestDropped = rows[0]?.id;
        outcome = 'done';
        if (newestDropped === undefined) return;
        const { rowCount } = await client.query(
          `DELETE FROM requests WHERE id IN (SELECT id FROM requests WHERE bin = $1 AND id <= $2 ORDER BY id LIMIT ${retentionChunk})`,
          [bin, newestDropped],
        );
        await recount(client, [bin]);
        swept = [bin];
        if (rowCount === retentionChunk) outcome = 'more';
      });
      await sweepAnswers(pool, swept);
      return outcome;
    },

    /** Bytes the stored requests take, as the size log counts them. */
    async storedBytes() {
      const { rows } = await pool.query<{ bytes: string; entries: string }>('SELECT coalesce(sum(delta), 0) AS bytes, count(*) AS entries FROM stored_bytes');
      if (Number(rows[0]!.entries) > compactAbove) await compactSizeLog();
      return Number(rows[0]!.bytes);
    },

    // 53100 disk_full: the server could not extend a file (SQLSTATE class 53, insufficient resources).
    isDiskFull: (error) => (error as { code?: unknown } | null)?.code === '53100',
    upkeep: compactSizeLog,
  };
}
