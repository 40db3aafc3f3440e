import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Bin, BinResponse, ForwardResult, RequestPage } from '../../../shared/api.ts';
import { toSummary } from '../../request-views.ts';
import { BinCache } from '../bin-cache.ts';
import { CaptureBatcher } from '../capture-batcher.ts';
import { CaptureListeners } from '../capture-listeners.ts';
import { filteredScan } from '../filtered-scan.ts';
import { isEmptyFilter } from '../request-filter.ts';
import type { RetentionOptions } from '../retention-policy.ts';
import { RetentionSchedule } from '../retention-schedule.ts';
import type { BinChange, BinQuery, CaptureListener, CapturedRequest, LoginSession, RequestQuery, Store, StoredPage, StoredRequest } from '../store.ts';
import * as bins from './bins.ts';
import { clearBin, deleteRequest, recordForward } from './change-requests.ts';
import { insertBatch, maxRowsPerStatement, rowToInsert, type InsertedBatch, type RowToInsert } from './insert-batch.ts';
import { LiveFeed } from './live-feed.ts';
import { candidates, readAfter, readPage, readRange, readRequest } from './read-requests.ts';
import { postgresRetentionSteps } from './retention.ts';
import { migrate } from './schema.ts';
import * as sessions from './sessions.ts';

export type PostgresStoreOptions = RetentionOptions;

/**
 * The shared store: PostgreSQL, for several authbin instances behind one load balancer. Batching,
 * caching, paging, filtering and retention are the engine-neutral parts in `server/store/`; the SQL
 * is in this folder, by job. Live events reach every instance through LISTEN/NOTIFY (see LiveFeed).
 */
export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #retention: RetentionSchedule<string>;
  /** Names this process in its notifications, so it knows its own. */
  readonly #instance = randomBytes(9).toString('base64url');
  readonly #feed: LiveFeed;
  readonly #listeners = new CaptureListeners();
  readonly #batcher: CaptureBatcher<RowToInsert>;
  readonly #binCache: BinCache;
  #closing: Promise<void> | undefined;

  private constructor(pool: pg.Pool, config: pg.ClientConfig, options: PostgresStoreOptions) {
    this.#pool = pool;
    this.#retention = new RetentionSchedule(postgresRetentionSteps(pool), options);
    this.#feed = new LiveFeed(config, this.#instance, {
      load: (afterId, upToId, limit) => readRange(pool, afterId, upToId, limit),
      deliver: (requests) => this.#listeners.tell(requests),
    });
    this.#binCache = new BinCache((bin) => bins.binSettings(pool, bin));
    this.#batcher = new CaptureBatcher({
      maxBatch: maxRowsPerStatement,
      // The search vector is made as a capture arrives, so a batch is ready when its turn comes.
      prepare: rowToInsert,
      commit: async (rows) => this.#inserted(await insertBatch(pool, rows, this.#feed)),
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
      store.#retention.start();
      return store;
    } catch (error) {
      if (store) await store.#feed.close();
      await pool.end().catch(() => {});
      throw error;
    }
  }

  capture(request: CapturedRequest): Promise<StoredRequest> {
    return this.#batcher.add(request);
  }

  /** After an insert committed: what it says of its bins. */
  #inserted({ stored, bins: binsInserted }: InsertedBatch): StoredRequest[] {
    for (const [bin, { response, forwardTo }] of binsInserted) {
      this.#binCache.markKnown(bin);
      this.#binCache.remember(bin, { response, forwardTo });
    }
    this.#retention.inserted(stored, [...binsInserted].map(([bin, { requestCount }]) => [bin, requestCount]));
    return stored;
  }

  async binResponse(bin: string): Promise<BinResponse | null> {
    return (await this.#binCache.settings(bin)).response;
  }

  async binForwardTo(bin: string): Promise<string | null> {
    return (await this.#binCache.settings(bin)).forwardTo;
  }

  admitBin(id: string, maxBins: number): Promise<boolean> {
    return this.#binCache.admit(id, () => bins.admitBin(this.#pool, id, maxBins));
  }

  listBins(query: BinQuery): Promise<Bin[]> {
    return bins.listBins(this.#pool, query);
  }

  getBin(id: string): Promise<Bin | undefined> {
    return bins.getBin(this.#pool, id);
  }

  async createBin(id: string, response: BinResponse | null): Promise<Bin | undefined> {
    const bin = await bins.createBin(this.#pool, id, response);
    this.#binCache.settingsChanged(id);
    if (bin) this.#binCache.markKnown(id);
    return bin;
  }

  async updateBin(id: string, change: BinChange): Promise<Bin | undefined> {
    const bin = await bins.updateBin(this.#pool, id, change);
    this.#binCache.settingsChanged(id);
    return bin;
  }

  async deleteBin(id: string): Promise<boolean> {
    await this.#batcher.drain();
    const deleted = await bins.deleteBin(this.#pool, id);
    this.#binCache.forget(id);
    this.#retention.forgetBin(id);
    return deleted;
  }

  async listRequests(bin: string, query: RequestQuery): Promise<StoredPage> {
    if (query.filter && !isEmptyFilter(query.filter)) return filteredScan(candidates(this.#pool, bin, query.filter), query.filter, query.limit, query.before);
    return readPage(this.#pool, bin, query.limit, query.before);
  }

  async listSummaries(bin: string, query: RequestQuery): Promise<RequestPage> {
    const page = await this.listRequests(bin, query);
    return { requests: page.requests.map(toSummary), next: page.next };
  }

  requestsAfter(bin: string, afterId: string, limit: number): Promise<StoredRequest[]> {
    return readAfter(this.#pool, bin, afterId, limit);
  }

  getRequest(id: string): Promise<StoredRequest | undefined> {
    return readRequest(this.#pool, id);
  }

  async importRequests(requests: CapturedRequest[]): Promise<StoredRequest[]> {
    await this.#batcher.drain();
    return this.#inserted(await insertBatch(this.#pool, requests.map(rowToInsert)));
  }

  deleteRequest(id: string): Promise<boolean> {
    return deleteRequest(this.#pool, id);
  }

  recordForward(id: string, result: ForwardResult): Promise<void> {
    return recordForward(this.#pool, id, result);
  }

  async clearBin(bin: string): Promise<number> {
    await this.#batcher.drain();
    return clearBin(this.#pool, bin);
  }

  createSession(session: LoginSession): Promise<void> {
    return sessions.createSession(this.#pool, session);
  }

  findSession(idHash: string): Promise<LoginSession | undefined> {
    return sessions.findSession(this.#pool, idHash);
  }

  deleteSession(idHash: string): Promise<void> {
    return sessions.deleteSession(this.#pool, idHash);
  }

  onCapture(listener: CaptureListener): () => void {
    return this.#listeners.add(listener);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#batcher.close();
      await this.#retention.stop();
      await this.#feed.close();
      await this.#pool.end();
    })();
    return this.#closing;
  }
}
