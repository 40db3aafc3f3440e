import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Bin, BinResponse, ForwardResult, RequestPage } from '../../../shared/api.ts';
import { toSummary } from '../../request-views.ts';
import { binActivity, idContainsPattern } from '../bin-filter.ts';
import { CaptureListeners } from '../capture-listeners.ts';
import { isEmptyFilter } from '../search.ts';
import type { BinChange, BinQuery, CaptureListener, CapturedRequest, LoginSession, RequestQuery, Store, StoredPage, StoredRequest } from '../store.ts';
import { beginInsert, insertRows, maxRowsPerStatement, rowToInsert, type BinSettings, type InsertedRows, type RowToInsert } from './insert-batch.ts';
import { captureChannel, capturePayload, LiveFeed } from './live-feed.ts';
import { readRequests, searchRequests } from './read-requests.ts';
import { recount, type RetentionOptions } from './retention.ts';
import { RetentionSchedule } from './retention-schedule.ts';
import { requestColumns, toBin, type BinRow } from './rows.ts';
import { migrate } from './schema.ts';
import { inTransaction, lockKeys } from './transaction.ts';

export type PostgresStoreOptions = RetentionOptions;

interface PendingCapture {
  row: RowToInsert;
  resolve: (stored: StoredRequest) => void;
  reject: (error: unknown) => void;
}

/**
 * The shared store: PostgreSQL, for several authbin instances behind one load balancer.
 *
 * Captures are committed in groups, as on SQLite: those that arrive while a batch is being written
 * go together into the next one (one multi-row INSERT … RETURNING), and each promise resolves only
 * after its batch commits. Live events reach every instance through LISTEN/NOTIFY (see LiveFeed).
 */
export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #retention: RetentionSchedule;
  /** Names this process in its notifications, so it knows its own. */
  readonly #instance = randomBytes(9).toString('base64url');
  readonly #feed: LiveFeed;
  readonly #listeners = new CaptureListeners();
  /** Each bin's response and relay target as of this instance's last insert into it or change to it. */
  readonly #settings = new Map<string, BinSettings>();
  /**
   * Bins seen to exist, so that captures to them skip the bin limit's check. A bin deleted through
   * another instance stays here: a capture through this one creates it again, past the limit by one.
   */
  readonly #knownBins = new Set<string>();
  #pending: PendingCapture[] = [];
  #flushScheduled = false;
  /** The batches being written, one after another; settles once no capture is pending. */
  #flushing: Promise<void> | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  private constructor(pool: pg.Pool, config: pg.ClientConfig, options: PostgresStoreOptions) {
    this.#pool = pool;
    this.#retention = new RetentionSchedule(pool, options);
    this.#feed = new LiveFeed(config, this.#instance, {
      load: (afterId, upToId, limit) =>
        readRequests(pool, `SELECT ${requestColumns} FROM requests WHERE id > $1 AND ($2::bigint IS NULL OR id <= $2) ORDER BY id LIMIT $3`, [afterId, upToId, limit]),
      deliver: (requests) => this.#listeners.tell(requests),
    });
  }

  /** Connects, migrates the schema and starts listening; rejects when the database cannot be used. */
  static async open(url: string, options: PostgresStoreOptions): Promise<PostgresStore> {
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
    let store: PostgresStore | undefined;
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
      store = new PostgresStore(pool, config, options);
      await store.#feed.start();
      await store.#retention.start();
      return store;
    } catch (error) {
      if (store) await store.#feed.close();
      await pool.end().catch(() => {});
      throw error;
    }
  }

  capture(request: CapturedRequest): Promise<StoredRequest> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'));
    return new Promise((resolve, reject) => {
      this.#pending.push({ row: rowToInsert(request), resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        // Every capture that arrives before the next turn of the event loop joins this batch.
        setImmediate(() => void this.#flush());
      }
    });
  }

  /** Starts writing the pending captures unless that is under way; settles when none are left. */
  #flush(): Promise<void> {
    this.#flushScheduled = false;
    if (!this.#flushing && this.#pending.length > 0) this.#flushing = this.#writePending();
    return this.#flushing ?? Promise.resolve();
  }

  /** Writes the pending captures a batch at a time; those arriving meanwhile make the next batch. */
  async #writePending(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, maxRowsPerStatement);
        try {
          const stored = await this.#insert(batch.map((p) => p.row), true);
          batch.forEach((p, i) => p.resolve(stored[i]!));
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.#flushing = undefined;
    }
  }

  /** Waits until every capture made so far is committed (or has failed). */
  async #drain(): Promise<void> {
    while (this.#pending.length > 0 || this.#flushing) await this.#flush();
  }

  /** Inserts requests in one transaction; `live` ones are announced to every instance as it commits. */
  async #insert(rows: RowToInsert[], live: boolean): Promise<StoredRequest[]> {
    const client = await this.#pool.connect();
    const parts: InsertedRows[] = [];
    let broken: Error | undefined;
    try {
      await beginInsert(client);
      for (let i = 0; i < rows.length; i += maxRowsPerStatement) parts.push(await insertRows(client, rows.slice(i, i + maxRowsPerStatement)));
      const stored = parts.flatMap((part) => part.stored);
      if (live && stored.length > 0) {
        this.#feed.remember(stored);
        // Ids are digits and the instance name base64url: nothing to escape.
        await client.query(`SELECT pg_notify('${captureChannel}', '${capturePayload(stored[0]!.id, stored[stored.length - 1]!.id, this.#instance)}'); COMMIT`);
      } else {
        await client.query('COMMIT');
      }
      for (const { bins } of parts) {
        for (const [bin, { response, forwardTo }] of bins) this.#settings.set(bin, { response, forwardTo });
        this.#retention.inserted([...bins].map(([bin, { requestCount }]) => [bin, requestCount]));
      }
      return stored;
    } catch (error) {
      for (const part of parts) this.#feed.forget(part.stored);
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async #binSettings(bin: string): Promise<BinSettings> {
    let settings = this.#settings.get(bin);
    if (!settings) {
      const bins = await this.#bins('SELECT * FROM bins WHERE id = $1', [bin]);
      settings = { response: bins[0]?.response ?? null, forwardTo: bins[0]?.forwardTo ?? null };
      this.#settings.set(bin, settings);
    }
    return settings;
  }

  async binResponse(bin: string): Promise<BinResponse | null> {
    return (await this.#binSettings(bin)).response;
  }

  async binForwardTo(bin: string): Promise<string | null> {
    return (await this.#binSettings(bin)).forwardTo;
  }

  async #bins(sql: string, params: unknown[] = []): Promise<Bin[]> {
    return (await this.#pool.query<BinRow>(sql, params)).rows.map(toBin);
  }

  async admitBin(id: string, maxBins: number): Promise<boolean> {
    if (this.#knownBins.has(id)) return true;
    const exists = async (client: pg.ClientBase | pg.Pool) =>
      (await client.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM bins WHERE id = $1) AS found', [id])).rows[0]!.found;
    const admitted =
      (await exists(this.#pool)) ||
      (await inTransaction(this.#pool, async (client) => {
        // Every instance's captures create bins one at a time: racing at the limit, they cannot count the same free place.
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...lockKeys.bins]);
        const { rowCount } = await client.query(
          'INSERT INTO bins (id, created_at) SELECT $1, $2 WHERE (SELECT count(*) FROM bins) < $3 ON CONFLICT DO NOTHING',
          [id, Date.now(), maxBins],
        );
        // Not inserted: the limit is reached, or the API created it meanwhile.
        return rowCount === 1 || (await exists(client));
      }));
    if (admitted) this.#knownBins.add(id);
    return admitted;
  }

  listBins(query: BinQuery): Promise<Bin[]> {
    const pattern = idContainsPattern(query.idContains);
    const order = `ORDER BY ${binActivity} DESC, id LIMIT`;
    if (!query.after) return this.#bins(`SELECT * FROM bins WHERE id ILIKE $1 ESCAPE '\\' ${order} $2`, [pattern, query.limit]);
    return this.#bins(`SELECT * FROM bins WHERE ${binActivity} <= $1 AND (${binActivity} < $1 OR id > $2) AND id ILIKE $3 ESCAPE '\\' ${order} $4`, [
      query.after.activity,
      query.after.id,
      pattern,
      query.limit,
    ]);
  }

  async getBin(id: string): Promise<Bin | undefined> {
    return (await this.#bins('SELECT * FROM bins WHERE id = $1', [id]))[0];
  }

  async createBin(id: string, response: BinResponse | null): Promise<Bin | undefined> {
    const [bin] = await this.#bins('INSERT INTO bins (id, created_at, response) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING *', [
      id,
      Date.now(),
      response ? JSON.stringify(response) : null,
    ]);
    this.#settings.delete(id);
    if (bin) this.#knownBins.add(id);
    return bin;
  }

  async updateBin(id: string, change: BinChange): Promise<Bin | undefined> {
    const [bin] = await this.#bins(
      `UPDATE bins SET
         response = CASE WHEN $2 THEN $3 ELSE response END,
         forward_to = CASE WHEN $4 THEN $5 ELSE forward_to END
       WHERE id = $1 RETURNING *`,
      [id, change.response !== undefined, change.response ? JSON.stringify(change.response) : null, change.forwardTo !== undefined, change.forwardTo ?? null],
    );
    this.#settings.delete(id);
    return bin;
  }

  async createSession({ idHash, tokenCheck, expiresAt }: LoginSession): Promise<void> {
    await this.#pool.query('DELETE FROM sessions WHERE expires_at <= $1', [Date.now()]);
    await this.#pool.query('INSERT INTO sessions (id_hash, token_check, expires_at) VALUES ($1, $2, $3)', [idHash, tokenCheck, expiresAt]);
  }

  async findSession(idHash: string): Promise<LoginSession | undefined> {
    const { rows } = await this.#pool.query<{ token_check: string; expires_at: string }>('SELECT token_check, expires_at FROM sessions WHERE id_hash = $1', [idHash]);
    return rows[0] && { idHash, tokenCheck: rows[0].token_check, expiresAt: Number(rows[0].expires_at) };
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.#pool.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
  }

  async deleteBin(id: string): Promise<boolean> {
    await this.#drain();
    const rowCount = await inTransaction(this.#pool, async (client) => {
      // Requests before their bin, as every other deletion goes, so two deletions never wait on each other.
      await client.query('DELETE FROM requests WHERE bin = $1', [id]);
      return (await client.query('DELETE FROM bins WHERE id = $1', [id])).rowCount;
    });
    this.#settings.delete(id);
    this.#knownBins.delete(id);
    this.#retention.forgetBin(id);
    return rowCount! > 0;
  }

  async listRequests(bin: string, query: RequestQuery): Promise<StoredPage> {
    if (query.filter && !isEmptyFilter(query.filter)) return searchRequests(this.#pool, bin, query.limit, query.before, query.filter);
    // One row more than asked tells whether an older page exists.
    const rows = await readRequests(
      this.#pool,
      `SELECT ${requestColumns} FROM requests WHERE bin = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [bin, query.before ?? null, query.limit + 1],
    );
    const requests = rows.slice(0, query.limit);
    return { requests, next: rows.length > query.limit ? requests[requests.length - 1]!.id : null };
  }

  async listSummaries(bin: string, query: RequestQuery): Promise<RequestPage> {
    const page = await this.listRequests(bin, query);
    return { requests: page.requests.map(toSummary), next: page.next };
  }

  requestsAfter(bin: string, afterId: string, limit: number): Promise<StoredRequest[]> {
    return readRequests(this.#pool, `SELECT ${requestColumns} FROM requests WHERE bin = $1 AND id > $2 ORDER BY id LIMIT $3`, [bin, afterId, limit]);
  }

  async getRequest(id: string): Promise<StoredRequest | undefined> {
    return (await readRequests(this.#pool, `SELECT ${requestColumns} FROM requests WHERE id = $1`, [id]))[0];
  }

  async importRequests(requests: CapturedRequest[]): Promise<StoredRequest[]> {
    await this.#drain();
    return this.#insert(requests.map(rowToInsert), false);
  }

  async deleteRequest(id: string): Promise<boolean> {
    return inTransaction(this.#pool, async (client) => {
      const { rows } = await client.query<{ bin: string }>('DELETE FROM requests WHERE id = $1 RETURNING bin', [id]);
      await recount(client, rows.map((r) => r.bin));
      return rows.length > 0;
    });
  }

  async recordForward(id: string, result: ForwardResult): Promise<void> {
    await this.#pool.query('UPDATE requests SET forward = $1 WHERE id = $2', [JSON.stringify(result), id]);
  }

  async clearBin(bin: string): Promise<number> {
    await this.#drain();
    return inTransaction(this.#pool, async (client) => {
      const { rowCount } = await client.query('DELETE FROM requests WHERE bin = $1', [bin]);
      await recount(client, [bin]);
      return rowCount!;
    });
  }

  onCapture(listener: CaptureListener): () => void {
    return this.#listeners.add(listener);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#drain();
      this.#closed = true;
      await this.#retention.stop();
      await this.#feed.close();
      await this.#pool.end();
    })();
    return this.#closing;
  }
}
