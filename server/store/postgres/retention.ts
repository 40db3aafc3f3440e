import type pg from 'pg';
import { inTransaction, lockKeys } from './transaction.ts';

export interface RetentionOptions {
  /** Newest requests kept per bin; older ones are deleted in the background. */
  maxRequestsPerBin: number;
  /** Requests older than this many days are deleted in the background. */
  retentionDays: number;
  /** When set, the oldest requests are deleted while the stored requests take more than this many bytes. */
  maxDbBytes?: number | null;
}

/** Rows deleted per retention step, so that no step holds its locks for long. */
const retentionChunk = 1000;
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
 * Deletes what retention no longer keeps, as the SQLite store does, a chunk per step: requests past
 * the retention period, those past each bin's limit, and the oldest while the data exceeds the size
 * cap. Steps take an advisory lock when it is free, so instances never sweep the same rows at once.
 */
export class Retention {
  readonly #pool: pg.Pool;
  readonly #options: RetentionOptions;

  constructor(pool: pg.Pool, options: RetentionOptions) {
    this.#pool = pool;
    this.#options = options;
  }

  /** Runs `step` in a transaction if no other instance is sweeping; false when one is. */
  #step(step: (client: pg.PoolClient) => Promise<void>): Promise<boolean> {
    return inTransaction(this.#pool, async (client) => {
      const { rows } = await client.query<{ free: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS free', [...lockKeys.retention]);
      if (!rows[0]!.free) return false;
      await step(client);
      return true;
    });
  }

  /** Deletes a chunk of expired requests; true when there may be more. Ids grow with time, so they are a prefix of the table. */
  async expireSome(now = Date.now()): Promise<boolean> {
    const cutoff = now - this.#options.retentionDays * 86_400_000;
    let more = false;
    await this.#step(async (client) => {
      const { rows } = await client.query<{ id: string; bin: string; received_at: string }>(
        `SELECT id, bin, received_at FROM requests ORDER BY id LIMIT ${retentionChunk}`,
      );
      let lastExpired: string | undefined;
      const touched = new Set<string>();
      for (const row of rows) {
        if (Number(row.received_at) >= cutoff) break;
        lastExpired = row.id;
        touched.add(row.bin);
      }
      if (lastExpired === undefined) return;
      await client.query('DELETE FROM requests WHERE id <= $1', [lastExpired]);
      await recount(client, [...touched]);
      more = rows.length === retentionChunk;
    });
    return more;
  }

  /** The bins holding more requests than the limit. */
  async binsOverLimit(): Promise<string[]> {
    const { rows } = await this.#pool.query<{ id: string }>('SELECT id FROM bins WHERE request_count > $1', [this.#options.maxRequestsPerBin]);
    return rows.map((r) => r.id);
  }

  /** Deletes a chunk of a bin's requests past its limit: `more` when there may be more, `busy` when another instance is sweeping. */
  async trimBin(bin: string): Promise<'done' | 'more' | 'busy'> {
    let more = false;
    const swept = await this.#step(async (client) => {
      const { rows } = await client.query<{ id: string }>('SELECT id FROM requests WHERE bin = $1 ORDER BY id DESC LIMIT 1 OFFSET $2', [
        bin,
        this.#options.maxRequestsPerBin,
      ]);
      const newestDropped = rows[0]?.id;
      if (newestDropped === undefined) return;
      const { rowCount } = await client.query(
        `DELETE FROM requests WHERE id IN (SELECT id FROM requests WHERE bin = $1 AND id <= $2 ORDER BY id LIMIT ${retentionChunk})`,
        [bin, newestDropped],
      );
      more = rowCount === retentionChunk;
      await recount(client, [bin]);
    });
    return !swept ? 'busy' : more ? 'more' : 'done';
  }

  /** Bytes the stored requests take, as the size log counts them. */
  async storedBytes(): Promise<number> {
    const { rows } = await this.#pool.query<{ bytes: string; entries: string }>('SELECT coalesce(sum(delta), 0) AS bytes, count(*) AS entries FROM stored_bytes');
    if (Number(rows[0]!.entries) > compactAbove) await this.compactSizeLog();
    return Number(rows[0]!.bytes);
  }

  /** Folds the size log into one row. */
  async compactSizeLog(): Promise<void> {
    await this.#pool.query('WITH folded AS (DELETE FROM stored_bytes RETURNING delta) INSERT INTO stored_bytes (delta) SELECT coalesce(sum(delta), 0) FROM folded');
  }

  overSizeCap(bytes: number): boolean {
    const cap = this.#options.maxDbBytes;
    return cap !== undefined && cap !== null && bytes > cap;
  }

  /** Deletes some of the oldest requests; false when there is nothing left to delete. */
  async evictOldest(): Promise<boolean> {
    let deleted = false;
    await this.#step(async (client) => {
      const { rows } = await client.query<{ id: string; bin: string }>(`SELECT id, bin FROM requests ORDER BY id LIMIT ${retentionChunk}`);
      if (rows.length === 0) return;
      // A tenth of a chunk at a time: enough to make room without emptying more than needed.
      const victims = rows.slice(0, Math.max(1, Math.ceil(rows.length / 10)));
      await client.query('DELETE FROM requests WHERE id <= $1', [victims[victims.length - 1]!.id]);
      await recount(client, victims.map((v) => v.bin));
      deleted = true;
    });
    return deleted;
  }
}
