import Database from 'better-sqlite3';
import type { Bin, BinResponse, ForwardResult, RequestPage } from '../../../shared/api.ts';
import type { Durability } from '../../config.ts';
import { toSummary } from '../../request-views.ts';
import { BinCache } from '../bin-cache.ts';
import { CaptureBatcher } from '../capture-batcher.ts';
import { CaptureListeners } from '../capture-listeners.ts';
import { filteredScan } from '../filtered-scan.ts';
import { isEmptyFilter } from '../request-filter.ts';
import type { RetentionOptions } from '../retention-policy.ts';
import { RetentionSchedule } from '../retention-schedule.ts';
import type { BinChange, BinQuery, CaptureListener, CapturedRequest, LoginSession, RequestQuery, Store, StoredPage, StoredRequest } from '../store.ts';
import { SqliteBins } from './bins.ts';
import { prepareRequestChanges } from './change-requests.ts';
import { DiskReserve, isDiskFull } from './disk-reserve.ts';
import { prepareInsertBatch } from './insert-batch.ts';
import { migrate } from './migrations.ts';
import { prepareRequestReads } from './read-requests.ts';
import { sqliteRetentionSteps } from './retention.ts';
import { attachSearchFile } from './search-file.ts';
import { prepareSessions } from './sessions.ts';
import { UpkeepThread } from './upkeep-thread.ts';

export interface SqliteStoreOptions extends RetentionOptions {
  /** `full` syncs the WAL at every commit, so a 2xx survives a power loss too; `normal` (the default) one of authbin only. */
  durability?: Durability;
}

/** Captures committed together at most; more wait for the next transaction. */
const maxBatch = 512;
/** Room kept on the disk for deleting on a full one: a deletion's WAL, and what a checkpoint needs. */
const reserveBytes = 8 * 1024 * 1024;
/** Once the reserve is given up, captures stop while the database has less free room than this inside it. */
const minFreePageBytes = 1024 * 1024;

/**
 * The embedded store: one SQLite file in WAL mode, and its search index in a second file that an
 * upkeep thread keeps (upkeep-worker.ts), off the event loop. Batching, caching, paging, filtering
 * and retention are the engine-neutral parts in `server/store/`; the SQL is in this folder, by job.
 */
export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #listeners = new CaptureListeners();
  readonly #batcher: CaptureBatcher<CapturedRequest>;
  readonly #bins: SqliteBins;
  readonly #binCache: BinCache;
  readonly #insert: ReturnType<typeof prepareInsertBatch>;
  readonly #reads: ReturnType<typeof prepareRequestReads>;
  readonly #changes: ReturnType<typeof prepareRequestChanges>;
  readonly #sessions: ReturnType<typeof prepareSessions>;
  readonly #retention: RetentionSchedule<number>;
  /** Every request up to this id is in the search index (the upkeep thread says how far it got). */
  #indexedUpTo: number;
  readonly #readIndexedUpTo: Database.Statement;
  readonly #dequeueDeletions: Database.Statement;
  readonly #upkeepThread: UpkeepThread;
  readonly #reserve: DiskReserve;
  #closed = false;

  constructor(path: string, options: SqliteStoreOptions) {
    const db = new Database(path, { fileMustExist: false });
    this.#db = db;
    try {
      // Reading the header first makes a non-SQLite file fail here, before anything is written.
      const schemaVersion = db.pragma('schema_version', { simple: true });
      // Bigger pages hold several 1–2 KB requests each: less space lost per row. Only a new file can choose.
      if (schemaVersion === 0) db.pragma('page_size = 16384');
      db.pragma('journal_mode = WAL');
      // In WAL mode NORMAL is durable across a crash of the process; only a crash of the OS or a power loss can undo
      // the last commits. FULL closes that too, at the cost of an fsync per commit (one per batch of captures).
      db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
      // Checkpoint every 4 MiB of WAL (256 pages of 16 KiB) rather than 16 MiB: shorter pauses for capture.
      // The upkeep thread copies most of it back before then, so these find little left to do.
      db.pragma('wal_autocheckpoint = 256');
      db.pragma('foreign_keys = ON');
      // Short: better-sqlite3 waits synchronously, and a capture that cannot write soon is better answered 503.
      db.pragma('busy_timeout = 200');
      migrate(db);
      attachSearchFile(db, path);
    } catch (error) {
      db.close();
      throw error;
    }
    this.#bins = new SqliteBins(db);
    this.#binCache = new BinCache((bin) => this.#bins.settings(bin));
    this.#insert = prepareInsertBatch(db);
    this.#reads = prepareRequestReads(db);
    this.#changes = prepareRequestChanges(db);
    this.#sessions = prepareSessions(db);
    this.#readIndexedUpTo = db.prepare('SELECT indexed_up_to FROM search.search_progress').pluck();
    // The upkeep thread never writes to this file (capture must never wait for it): the store empties the queue it has done.
    this.#dequeueDeletions = db.prepare('DELETE FROM unindex_queue WHERE position <= ?');
    this.#indexedUpTo = this.#readIndexedUpTo.get() as number;
    this.#batcher = new CaptureBatcher({
      maxBatch,
      prepare: (request) => request,
      commit: (requests) => this.#commitCaptures(requests),
      committed: (stored) => this.#listeners.tell(stored),
    });
    this.#reserve = new DiskReserve(`${path}-reserve`, reserveBytes);
    this.#reserve.restore();
    this.#retention = new RetentionSchedule(
      { ...sqliteRetentionSteps(db, (work) => this.#deleting(work)), upkeep: async () => void this.#reserve.restore() },
      options,
    );
    this.#retention.start();
    this.#upkeepThread = new UpkeepThread(path, ({ indexedUpTo, unindexedThrough }) => {
      this.#indexedUpTo = Math.max(this.#indexedUpTo, indexedUpTo);
      if (unindexedThrough > 0) this.#upkeep('search indexing', () => this.#dequeueDeletions.run(unindexedThrough));
    });
  }

  capture(request: CapturedRequest): Promise<StoredRequest> {
    return this.#batcher.add(request);
  }

  #commitCaptures(requests: CapturedRequest[]): StoredRequest[] {
    if (!this.#reserve.allowsGrowth() && this.#freePageBytes() < minFreePageBytes) {
      throw new Error('the disk is nearly full: captures resume once deletions, retention or the size cap free room');
    }
    try {
      return this.#insertRequests(requests);
    } catch (error) {
      // The WAL could not grow: copied back into the database, it starts over from its beginning, in the room it has.
      if (isDiskFull(error)) setImmediate(() => this.#upkeep('WAL checkpoint', () => this.#db.pragma('wal_checkpoint(RESTART)')));
      throw error;
    }
  }

  #insertRequests(requests: CapturedRequest[]): StoredRequest[] {
    const { stored, binCounts, binsCreated } = this.#insert(requests, (bin) => this.#binCache.isKnown(bin));
    // Only once committed: a rolled-back batch must create its bins again next time.
    for (const r of requests) this.#binCache.markKnown(r.bin);
    this.#bins.created(binsCreated);
    this.#upkeepThread.requestsChanged();
    this.#retention.inserted(stored, binCounts);
    return stored;
  }

  /**
   * Runs background upkeep. A failure (the database busy, locked or full) is logged and left for
   * a later turn, never thrown into the event loop, where it would stop the server.
   */
  #upkeep(name: string, work: () => void): void {
    if (this.#closed) return;
    try {
      work();
    } catch (error) {
      console.error(`authbin: ${name} could not run now and will be retried: ${(error as Error).message}`);
    }
  }

  /** Room inside the database file, left by deletions: captures fill it without growing the file. */
  #freePageBytes(): number {
    return (this.#db.pragma('main.freelist_count', { simple: true }) as number) * (this.#db.pragma('main.page_size', { simple: true }) as number);
  }

  /**
   * Runs a deletion in a transaction, and wakes the indexer to take what went out of the index. On
   * a full disk SQLite has no room to write one, so the reserve is given up and it runs again; the
   * WAL is then emptied, so that its room goes to the next captures.
   */
  #deleting<T>(work: () => T): T {
    const result = this.#makingRoom(this.#db.transaction(work));
    this.#upkeepThread.requestsChanged();
    return result;
  }

  #makingRoom<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (!isDiskFull(error) || !this.#reserve.release()) throw error;
      console.error(`authbin: the disk is full: gave up the ${reserveBytes / 1024 / 1024} MiB kept beside the database to delete; captures leave as much free until it is made again`);
    }
    const result = work();
    this.#upkeep('WAL checkpoint', () => this.#db.pragma('wal_checkpoint(TRUNCATE)'));
    return result;
  }

  async binResponse(bin: string): Promise<BinResponse | null> {
    return (await this.#binCache.settings(bin)).response;
  }

  async binForwardTo(bin: string): Promise<string | null> {
    return (await this.#binCache.settings(bin)).forwardTo;
  }

  admitBin(id: string, maxBins: number): Promise<boolean> {
    return this.#binCache.admit(id, () => this.#bins.admit(id, maxBins));
  }

  async listBins(query: BinQuery): Promise<Bin[]> {
    return this.#bins.list(query);
  }

  async getBin(id: string): Promise<Bin | undefined> {
    return this.#bins.get(id);
  }

  async createBin(id: string, response: BinResponse | null): Promise<Bin | undefined> {
    const bin = this.#bins.create(id, response);
    this.#binCache.settingsChanged(id);
    if (bin) this.#binCache.markKnown(id);
    return bin;
  }

  async updateBin(id: string, change: BinChange): Promise<Bin | undefined> {
    const bin = this.#bins.update(id, change);
    this.#binCache.settingsChanged(id);
    return bin;
  }

  async deleteBin(id: string): Promise<boolean> {
    await this.#batcher.drain();
    const deleted = this.#deleting(() => this.#bins.delete(id));
    this.#binCache.forget(id);
    this.#retention.forgetBin(id);
    return deleted;
  }

  async listRequests(bin: string, query: RequestQuery): Promise<StoredPage> {
    if (query.filter && !isEmptyFilter(query.filter)) return this.#search(bin, query);
    return this.#reads.page(bin, query.limit, query.before);
  }

  async listSummaries(bin: string, query: RequestQuery): Promise<RequestPage> {
    if (query.filter && !isEmptyFilter(query.filter)) {
      const found = await this.#search(bin, query);
      return { requests: found.requests.map(toSummary), next: found.next };
    }
    return this.#reads.summaryPage(bin, query.limit, query.before);
  }

  #search(bin: string, { filter = {}, limit, before }: RequestQuery): Promise<StoredPage> {
    return filteredScan(this.#reads.candidates(bin, filter, this.#indexedUpTo), filter, limit, before);
  }

  async requestsAfter(bin: string, afterId: string, limit: number): Promise<StoredRequest[]> {
    return this.#reads.after(bin, afterId, limit);
  }

  async getRequest(id: string): Promise<StoredRequest | undefined> {
    return this.#reads.get(id);
  }

  async importRequests(requests: CapturedRequest[]): Promise<StoredRequest[]> {
    await this.#batcher.drain();
    return this.#insertRequests(requests);
  }

  async deleteRequest(id: string): Promise<boolean> {
    return this.#deleting(() => this.#changes.deleteRequest(id));
  }

  async recordForward(id: string, result: ForwardResult): Promise<void> {
    this.#changes.recordForward(id, result);
  }

  async clearBin(bin: string): Promise<number> {
    await this.#batcher.drain();
    return this.#deleting(() => this.#changes.clearBin(bin));
  }

  async createSession(session: LoginSession): Promise<void> {
    this.#sessions.create(session);
  }

  async findSession(idHash: string): Promise<LoginSession | undefined> {
    return this.#sessions.find(idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.#sessions.delete(idHash);
  }

  onCapture(listener: CaptureListener): () => void {
    return this.#listeners.add(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#batcher.close();
    await this.#retention.stop();
    await this.#upkeepThread.close();
    try {
      this.#makingRoom(() => this.#db.pragma('wal_checkpoint(TRUNCATE)'));
    } catch (error) {
      // Nothing is lost: the WAL stays beside the database, and the next start reads it back.
      console.error(`authbin: the WAL could not be copied into the database before closing (${(error as Error).message}); it is kept and replayed at the next start`);
    }
    this.#db.close();
  }
}
