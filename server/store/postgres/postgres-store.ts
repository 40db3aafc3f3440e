import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CaptureListeners } from '../capture-listeners.ts';
import type { EngineParts } from '../engine.ts';
import type { RetentionOptions } from '../retention-policy.ts';
import { StoreCore } from '../store-core.ts';
import { postgresBins } from './bins.ts';
import { postgresRequestChanges } from './change-requests.ts';
import { postgresRequestWriter, type RowToInsert } from './insert-batch.ts';
import { LiveFeed } from './live-feed.ts';
import { postgresRequestReads, readRange } from './read-requests.ts';
import { postgresRetentionSteps } from './retention.ts';
import { postgresRules } from './rules.ts';
import { migrate } from './schema.ts';
import { postgresSessions } from './sessions.ts';

export interface PostgresStoreOptions extends RetentionOptions {
  /** `AUTHBIN_SECRET_KEY`: the key of rules' secrets, the same on every instance; without it, rules with secrets are refused. */
  secretKey?: string;
}

/**
 * The shared store: PostgreSQL, for several authbin instances behind one load balancer. The store
 * core (store-core.ts) does the rest; this folder holds the SQL, by job. Live events reach every
 * instance through LISTEN/NOTIFY (see LiveFeed).
 */
export class PostgresStore extends StoreCore<RowToInsert, string> {
  private constructor(engine: EngineParts<RowToInsert, string>, options: PostgresStoreOptions) {
    super(engine, options);
  }

  /** Connects, migrates the schema and starts listening; rejects when the database cannot be used. */
  static async open(url: string, options: PostgresStoreOptions): Promise<PostgresStore> {
    return new PostgresStore(await postgresEngine(url, options), options);
  }
}

async function postgresEngine(url: string, options: PostgresStoreOptions): Promise<EngineParts<RowToInsert, string>> {
  const config = {
    connectionString: url,
    application_name: 'authbin',
    connectionTimeoutMillis: 10_000,
    // A transaction left open by a stalled instance must not hold the insert lock for long.
    idle_in_transaction_session_timeout: 30_000,
    keepAlive: true,
  } satisfies pg.PoolConfig;
  const pool = new pg.Pool(config);
  // An idle connection that drops is replaced on next use; it must not take the process down.
  pool.on('error', (error) => console.error(`authbin: a PostgreSQL connection failed: ${error.message}`));
  // The pool listens for errors only on idle clients: one checked out that loses its connection between two
  // queries (PostgreSQL restarting) would emit 'error' to nobody and stop the process. Its next query fails instead.
  pool.on('connect', (client) => client.on('error', () => {}));
  const listeners = new CaptureListeners();
  // Names this process in its notifications, so it knows its own.
  const instance = randomBytes(9).toString('base64url');
  // The store core asks to hear of rule changes once it exists, after the feed has started.
  let rulesChanged: (bin: string | null) => void = () => {};
  const feed = new LiveFeed(config, instance, {
    load: (afterId, upToId, limit) => readRange(pool, afterId, upToId, limit),
    deliver: (requests) => listeners.tell(requests),
    rulesChanged: (bin) => rulesChanged(bin),
  });
  try {
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ server_encoding: string }>('SHOW server_encoding');
      const encoding = rows[0]!.server_encoding;
      if (encoding !== 'UTF8') throw new Error(`the database's encoding is ${encoding}; authbin needs a UTF8 database (CREATE DATABASE … ENCODING 'UTF8')`);
      await migrate(client);
    } finally {
      client.release();
    }
    await feed.start();
  } catch (error) {
    await feed.close();
    await pool.end().catch(() => {});
    throw error;
  }
  return {
    requests: { ...postgresRequestReads(pool), ...postgresRequestChanges(pool), ...postgresRequestWriter(pool, feed) },
    bins: postgresBins(pool),
    sessions: postgresSessions(pool),
    rules: postgresRules(pool, (changed) => (rulesChanged = changed)),
    ruleKey: () => (options.secretKey === undefined ? null : Buffer.from(options.secretKey, 'utf8')),
    retention: postgresRetentionSteps(pool),
    listeners,
    tellOnCommit: false,
    async close() {
      await feed.close();
      await pool.end();
    },
  };
}
