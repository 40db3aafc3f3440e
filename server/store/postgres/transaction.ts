import type pg from 'pg';

/** "auth" in ASCII: the first half of every advisory lock key authbin takes, so it keeps out of others' way. */
const namespace = 0x61757468;

/** Advisory locks (two-int form: namespace, lock). */
export const lockKeys = {
  /** Held while migrating, so instances starting together migrate one after the other. */
  migrate: [namespace, 1],
  /**
   * Held by every transaction that inserts requests, from before its ids are drawn until it commits:
   * ids then become visible in increasing order, which live events and `Last-Event-ID` rely on.
   */
  insert: [namespace, 2],
  /** Held (tried) by a retention step, so one instance at a time deletes what retention no longer keeps. */
  retention: [namespace, 3],
  /** Held while a capture creates a bin, so that captures racing at the bin limit cannot count the same free place. */
  bins: [namespace, 4],
} as const satisfies Record<string, [number, number]>;

/** A capture that cannot take the insert lock this soon is better answered 503 than left hanging. */
const insertLockTimeout = '5s';

/** Opens a transaction that inserts requests, or must not run beside one: takes the insert lock (see lockKeys.insert). */
export const beginInsert = `BEGIN; SET LOCAL lock_timeout = '${insertLockTimeout}'; SELECT pg_advisory_xact_lock(${lockKeys.insert[0]}, ${lockKeys.insert[1]})`;

/** How a transaction starts and ends, when not with a plain BEGIN and COMMIT. */
export interface TransactionEnds<T> {
  /** Statements that open it, e.g. BEGIN and a lock. */
  begin?: string;
  /** Statements that close it once `work` resolved to `result`, e.g. a notification and COMMIT (one round trip). */
  commit?: (result: T) => string;
}

/** Runs `work` in a transaction on a client of its own; rolls back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, ends: TransactionEnds<T> = {}): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(ends.begin ?? 'BEGIN');
    const result = await work(client);
    await client.query(ends.commit?.(result) ?? 'COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      // The connection itself failed: do not hand it back to the pool.
      broken = rollbackError as Error;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
