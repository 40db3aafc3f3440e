import Database from 'better-sqlite3';
import type { Bin, BinResponse, ForwardResult, RequestPage, RequestSummary } from '../../../shared/api.ts';
import { analyzedBodyBytes, summaryOf, toSummary } from '../../request-views.ts';
import { migrate } from './migrations.ts';
import { ftsQuery, isEmptyFilter, matchesFilter, type RequestFilter } from '../search.ts';
import { binActivity, idContainsPattern } from '../bin-filter.ts';
import { readStoredSummary } from '../stored-summary.ts';
import { storedWithId, type BinChange, type BinQuery, type CaptureListener, type CapturedRequest, type LoginSession, type RequestQuery, type Store, type StoredPage, type StoredRequest } from '../store.ts';
import { toBin, toStoredRequest, type BinRow, type RequestRow, type SummaryRow } from './rows.ts';
import { attachSearchFile } from './search-file.ts';
import { CaptureListeners } from '../capture-listeners.ts';
import { UpkeepThread } from './upkeep-thread.ts';
import { DiskReserve, isDiskFull } from './disk-reserve.ts';
import type { Durability } from '../../config.ts';

export interface SqliteStoreOptions {
  /** Newest requests kept per bin; older ones are deleted in the background. */
  maxRequestsPerBin: number;
  /** Requests older than this many days are deleted in the background. */
  retentionDays: number;
  /** When set, the oldest requests are deleted while the data in the file exceeds this many bytes. */
  maxDbBytes?: number | null;
  /** `full` syncs the WAL at every commit, so a 2xx survives a power loss too; `normal` (the default) one of authbin only. */
  durability?: Durability;
}

interface PendingCapture {
  request: CapturedRequest;
  resolve: (stored: StoredRequest) => void;
  reject: (error: unknown) => void;
}

/** Captures committed together at most; more wait for the next transaction. */
const maxBatch = 512;
/** Rows looked at per step when filtering. */
const filterChunk = 200;
/** Rows deleted per retention step, so a sweep never holds the write lock for long. */
const retentionChunk = 1000;
const retentionIntervalMs = 60_000;
/**
 * A body this big is written with the page cache held to `largeWriteCacheKib`: its overflow pages
 * then go out to the WAL as they are filled, instead of all waiting in the cache (16 MB by default)
 * for the commit, on top of the two copies SQLite makes to bind the body and build its row.
 */
const largeBodyBytes = 1024 * 1024;
const largeWriteCacheKib = 512;
/** A request's bytes beyond its body (headers, columns, index entries, summary), roughly: to tell when to measure the size. */
const rowOverheadBytes = 1024;
const sizeCheckBytes = 1024 * 1024;
/** Room kept on the disk for deleting on a full one: a deletion's WAL, and what a checkpoint needs. */
const reserveBytes = 8 * 1024 * 1024;

/**
 * The embedded store: one SQLite file in WAL mode, and its search index in a second file that an
 * upkeep thread keeps (upkeep-worker.ts), off the event loop.
 *
 * Captures are committed in groups: every capture that arrives while the event loop is busy
 * joins one transaction, flushed on the next turn, and each promise resolves only after that
 * transaction commits (so a `2xx` still means the request is on disk).
 */
export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #options: SqliteStoreOptions;
  readonly #listeners = new CaptureListeners();
  readonly #knownBins = new Set<string>();
  /** How many bins exist: only this store writes the file, so it keeps count rather than count(*) per new bin. */
  #binCount: number;
  /** What capture needs of a bin on every request, kept in memory; changed only through this store. */
  readonly #settings = new Map<string, { response: BinResponse | null; forwardTo: string | null }>();
  #pending: PendingCapture[] = [];
  #flushScheduled = false;
  #evicting = false;
  /** Roughly what captures have added since the size was last measured; measuring takes several pragmas. */
  #addedSinceSizeCheck = 0;
  /** Every request up to this id is in the search index (the upkeep thread says how far it got). */
  #indexedUpTo: number;
  /** Callers of `whenIndexedThrough` waiting for the index to reach their id. */
  readonly #indexWaiters = new Set<{ id: number; resolve: () => void; reject: (error: Error) => void }>();
  readonly #upkeepThread: UpkeepThread;
  readonly #reserve: DiskReserve;
  readonly #binsOverLimit = new Set<string>();
  #retentionTimer: NodeJS.Timeout;
  #closed = false;
  /** The page cache size of the main database, as `PRAGMA cache_size` gives it. */
  readonly #cacheSize: number;

  readonly #statements: ReturnType<typeof prepareStatements>;
  /**
   * A page of summaries, read in one transaction so that a request read again to be analysed is the
   * one the page found. Wrapped once here: `db.transaction()` costs some 20 µs a call.
   */
  readonly #summaryPage: (bin: string, limit: number, before: string | undefined) => RequestPage;

  constructor(path: string, options: SqliteStoreOptions) {
    this.#options = options;
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
    this.#cacheSize = db.pragma('main.cache_size', { simple: true }) as number;
    this.#statements = prepareStatements(db);
    this.#summaryPage = db.transaction((bin: string, limit: number, before: string | undefined) => this.#readSummaryPage(bin, limit, before));
    this.#indexedUpTo = this.#statements.indexedUpTo.get() as number;
    this.#binCount = this.#statements.countBins.get() as number;
    for (const bin of this.#statements.binsOverLimit.all(options.maxRequestsPerBin) as string[]) this.#binsOverLimit.add(bin);
    this.#reserve = new DiskReserve(`${path}-reserve`, reserveBytes);
    this.#reserve.restore();
    this.#retentionTimer = setInterval(() => {
      this.#upkeep('retention', () => this.#sweep());
      this.#upkeep('disk reserve', () => this.#reserve.restore());
    }, retentionIntervalMs);
    this.#retentionTimer.unref();
    setImmediate(() => this.#upkeep('retention', () => this.#sweep()));
    this.#upkeepThread = new UpkeepThread(path, ({ indexedUpTo, unindexedThrough }) => {
      this.#indexedUpTo = Math.max(this.#indexedUpTo, indexedUpTo);
      for (const waiter of this.#indexWaiters) {
        if (waiter.id > this.#indexedUpTo) continue;
        this.#indexWaiters.delete(waiter);
        waiter.resolve();
      }
      if (unindexedThrough > 0) this.#upkeep('search indexing', () => this.#statements.dequeueDeletions.run(unindexedThrough));
    });
  }

  capture(request: CapturedRequest): Promise<StoredRequest> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'));
    return new Promise((resolve, reject) => {
      this.#pending.push({ request, resolve, reject });
      if (this.#pending.length >= maxBatch) this.#flush();
      else if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    let stored: StoredRequest[];
    try {
      if (!this.#reserve.allowsGrowth() && this.#freePageBytes() < sizeCheckBytes) {
        throw new Error('the disk is nearly full: captures resume once deletions, retention or the size cap free room');
      }
      stored = this.#insertBatch(batch.map((p) => p.request));
    } catch (error) {
      for (const p of batch) p.reject(error);
      // The WAL could not grow: copied back into the database, it starts over from its beginning, in the room it has.
      if (isDiskFull(error)) setImmediate(() => this.#upkeep('WAL checkpoint', () => this.#db.pragma('wal_checkpoint(RESTART)')));
      return;
    }
    batch.forEach((p, i) => p.resolve(stored[i]!));
    this.#listeners.tell(stored);
    this.#upkeepThread.requestsChanged();
    if (this.#binsOverLimit.size > 0) setImmediate(() => this.#upkeep('retention', () => this.#enforcePerBinLimit()));
    for (const request of stored) this.#addedSinceSizeCheck += request.body.byteLength + rowOverheadBytes;
    if (!this.#evicting && this.#sizeCheckDue() && this.#overSizeCap()) {
      this.#evicting = true;
      setImmediate(() => this.#upkeep('size cap', () => this.#evictOldest(), () => (this.#evicting = false)));
    }
  }

  /**
   * Runs background upkeep. A failure (the database busy, locked or full) is logged and left for
   * a later turn, never thrown into the event loop, where it would stop the server.
   */
  #upkeep(name: string, work: () => void, onFailure?: () => void): void {
    if (this.#closed) return;
    try {
      work();
    } catch (error) {
      console.error(`authbin: ${name} could not run now and will be retried: ${(error as Error).message}`);
      onFailure?.();
    }
  }

  /** Room inside the database file, left by deletions: captures fill it without growing the file. */
  #freePageBytes(): number {
    return (this.#db.pragma('main.freelist_count', { simple: true }) as number) * (this.#db.pragma('main.page_size', { simple: true }) as number);
  }

  /** Bytes of live data in the database and its search index: their pages less the free ones that new rows will reuse. */
  #dataBytes(): number {
    let bytes = 0;
    for (const schema of ['main', 'search']) {
      const pragma = (name: string) => this.#db.pragma(`${schema}.${name}`, { simple: true }) as number;
      bytes += (pragma('page_count') - pragma('freelist_count')) * pragma('page_size');
    }
    return bytes;
  }

  /** The size is measured every 1 MiB added, or every 64th of the cap when that is smaller (a test's cap). */
  #sizeCheckDue(): boolean {
    const cap = this.#options.maxDbBytes;
    if (cap === undefined || cap === null || this.#addedSinceSizeCheck < Math.min(sizeCheckBytes, cap / 64)) return false;
    this.#addedSinceSizeCheck = 0;
    return true;
  }

  #overSizeCap(): boolean {
    const cap = this.#options.maxDbBytes;
    return cap !== undefined && cap !== null && this.#dataBytes() > cap;
  }

  /** Deletes the oldest requests, a chunk per turn, until the data fits the size cap again. */
  #evictOldest(): void {
    if (this.#closed || !this.#overSizeCap()) {
      this.#evicting = false;
      return;
    }
    const oldest = this.#statements.oldest.all() as { id: number; bin: string }[];
    if (oldest.length === 0) {
      this.#evicting = false;
      return;
    }
    // A tenth of a chunk at a time: enough to make room without emptying more than needed.
    const victims = oldest.slice(0, Math.max(1, Math.ceil(oldest.length / 10)));
    this.#makingRoom(this.#db.transaction(() => {
      this.#statements.deleteUpTo.run(victims[victims.length - 1]!.id);
      for (const bin of new Set(victims.map((v) => v.bin))) this.#statements.recount.run(bin);
    }));
    this.#upkeepThread.requestsChanged();
    setImmediate(() => this.#upkeep('size cap', () => this.#evictOldest(), () => (this.#evicting = false)));
  }

  #insertBatch(requests: CapturedRequest[]): StoredRequest[] {
    let binsCreated = 0;
    const result = this.#withCacheFor(requests, this.#db.transaction(() => {
      const s = this.#statements;
      const perBin = new Map<string, { count: number; last: number }>();
      const stored = requests.map((r) => {
        if (!this.#knownBins.has(r.bin) && !perBin.has(r.bin)) binsCreated += s.ensureBin.run(r.bin, r.receivedAt).changes;
        const { lastInsertRowid } = s.insertRequest.run(
          r.bin, r.receivedAt, r.method, r.path, r.query, r.httpVersion, r.remoteAddress, r.remotePort,
          JSON.stringify(r.headers), Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength), r.bodySize, r.truncated ? 1 : 0,
        );
        const counter = perBin.get(r.bin) ?? { count: 0, last: 0 };
        counter.count++;
        counter.last = Math.max(counter.last, r.receivedAt);
        perBin.set(r.bin, counter);
        return storedWithId(r, String(lastInsertRowid));
      });
      for (const [bin, { count, last }] of perBin) {
        const total = s.countBin.get(count, last, bin) as number;
        // A little over the limit is let be, so trimming happens in batches rather than after every capture.
        if (total > this.#options.maxRequestsPerBin + Math.floor(this.#options.maxRequestsPerBin / 100)) this.#binsOverLimit.add(bin);
      }
      return stored;
    }));
    // Only once committed: a rolled-back batch must create its bins again next time.
    for (const r of requests) this.#knownBins.add(r.bin);
    this.#binCount += binsCreated;
    return result;
  }

  /** Runs `write`, with the page cache held small while it stores a body of `largeBodyBytes` or more. */
  #withCacheFor<T>(requests: CapturedRequest[], write: () => T): T {
    if (!requests.some((r) => r.body.byteLength >= largeBodyBytes)) return write();
    this.#db.pragma(`main.cache_size = -${largeWriteCacheKib}`);
    try {
      return write();
    } finally {
      this.#db.pragma(`main.cache_size = ${this.#cacheSize}`);
    }
  }

  #binSettings(bin: string): { response: BinResponse | null; forwardTo: string | null } {
    let settings = this.#settings.get(bin);
    if (!settings) {
      const row = this.#statements.getBin.get(bin) as BinRow | undefined;
      settings = { response: row?.response ? (JSON.parse(row.response) as BinResponse) : null, forwardTo: row?.forward_to ?? null };
      this.#settings.set(bin, settings);
    }
    return settings;
  }

  async binResponse(bin: string): Promise<BinResponse | null> {
    return this.#binSettings(bin).response;
  }

  async binForwardTo(bin: string): Promise<string | null> {
    return this.#binSettings(bin).forwardTo;
  }

  async admitBin(id: string, maxBins: number): Promise<boolean> {
    if (this.#knownBins.has(id)) return true;
    const s = this.#statements;
    // Synchronous from the check to the insert: captures racing at the limit are admitted one at a time.
    if (s.getBin.get(id) === undefined) {
      if (this.#binCount >= maxBins) return false;
      this.#binCount += s.ensureBin.run(id, Date.now()).changes;
    }
    this.#knownBins.add(id);
    return true;
  }

  async listBins(query: BinQuery): Promise<Bin[]> {
    const s = this.#statements;
    const pattern = idContainsPattern(query.idContains);
    const rows = query.after
      ? s.listBinsAfter.all(query.after.activity, query.after.activity, query.after.id, pattern, query.limit)
      : s.listBins.all(pattern, query.limit);
    return (rows as BinRow[]).map(toBin);
  }

  async getBin(id: string): Promise<Bin | undefined> {
    const row = this.#statements.getBin.get(id) as BinRow | undefined;
    return row && toBin(row);
  }

  async createBin(id: string, response: BinResponse | null): Promise<Bin | undefined> {
    const { changes } = this.#statements.createBin.run(id, Date.now(), response ? JSON.stringify(response) : null);
    if (changes === 0) return undefined;
    this.#binCount++;
    this.#knownBins.add(id);
    this.#settings.delete(id);
    return this.getBin(id);
  }

  async updateBin(id: string, change: BinChange): Promise<Bin | undefined> {
    const s = this.#statements;
    const updated = this.#db.transaction(() => {
      let changed = 0;
      if (change.response !== undefined) changed += s.updateBinResponse.run(change.response ? JSON.stringify(change.response) : null, id).changes;
      if (change.forwardTo !== undefined) changed += s.updateBinForwardTo.run(change.forwardTo, id).changes;
      return changed > 0 || s.getBin.get(id) !== undefined;
    })();
    this.#settings.delete(id);
    return updated ? this.getBin(id) : undefined;
  }

  async recordForward(id: string, result: ForwardResult): Promise<void> {
    this.#statements.recordForward.run(JSON.stringify(result), BigInt(id));
  }

  async deleteBin(id: string): Promise<boolean> {
    this.#flush();
    const deleted = this.#makingRoom(() => this.#statements.deleteBin.run(id).changes > 0);
    if (deleted) this.#binCount--;
    this.#upkeepThread.requestsChanged();
    this.#knownBins.delete(id);
    this.#settings.delete(id);
    this.#binsOverLimit.delete(id);
    return deleted;
  }

  async listRequests(bin: string, query: RequestQuery): Promise<StoredPage> {
    if (query.filter && !isEmptyFilter(query.filter)) return this.#search(bin, query.limit, query.before, query.filter);
    const s = this.#statements;
    // One row more than asked tells whether an older page exists.
    const rows = (query.before === undefined
      ? s.pageNewest.all(bin, query.limit + 1)
      : s.pageBefore.all(bin, BigInt(query.before), query.limit + 1)) as RequestRow[];
    const hasMore = rows.length > query.limit;
    const requests = rows.slice(0, query.limit).map(toStoredRequest);
    return { requests, next: hasMore ? requests[requests.length - 1]!.id : null };
  }

  async listSummaries(bin: string, query: RequestQuery): Promise<RequestPage> {
    if (query.filter && !isEmptyFilter(query.filter)) {
      const found = this.#search(bin, query.limit, query.before, query.filter);
      return { requests: found.requests.map(toSummary), next: found.next };
    }
    return this.#summaryPage(bin, query.limit, query.before);
  }

  #readSummaryPage(bin: string, limit: number, before: string | undefined): RequestPage {
    const s = this.#statements;
    const rows = (before === undefined
      ? s.summariesNewest.all(bin, limit + 1)
      : s.summariesBefore.all(bin, BigInt(before), limit + 1)) as SummaryRow[];
    // Pushed, not mapped: map() makes a holey array, which JSON.stringify serializes on its slow path.
    const requests: RequestSummary[] = [];
    for (let i = 0; i < rows.length && i < limit; i++) requests.push(this.#toSummary(bin, rows[i]!));
    return { requests, next: rows.length > limit ? requests[requests.length - 1]!.id : null };
  }

  /** From the stored summary; a request the indexer has not summarized (yet, or in this version) is analysed now. */
  #toSummary(bin: string, [id, receivedAt, method, path, query, bodySize, summary]: SummaryRow): RequestSummary {
    const parts = readStoredSummary(summary);
    if (parts) return summaryOf({ id: String(id), bin, method, path, query, receivedAt, bodySize }, parts);
    return toSummary(toStoredRequest(this.#statements.analyzedRequest.get(id) as RequestRow));
  }

  /**
   * Newest first, the requests of a bin that match a filter: the ones the index has not seen yet
   * are checked one by one, older ones come from the full-text index (or a scan of the bin when the
   * filter has nothing the index can narrow by); `matchesFilter` has the last word on each.
   */
  #search(bin: string, limit: number, before: string | undefined, filter: RequestFilter): StoredPage {
    const s = this.#statements;
    const found: StoredRequest[] = [];
    const wanted = limit + 1;
    let cursor = before === undefined ? Number.MAX_SAFE_INTEGER : Number(before);
    const take = (rows: RequestRow[]) => {
      for (const row of rows) {
        const request = toStoredRequest(row);
        if (found.length < wanted && matchesFilter(request, filter)) found.push(request);
      }
    };
    // Ids follow arrival, so past `since` nothing older can match.
    const tooOld = (rows: RequestRow[]) => filter.since !== undefined && rows.length > 0 && rows[rows.length - 1]!.received_at < filter.since;

    while (found.length < wanted && cursor > this.#indexedUpTo + 1) {
      const rows = s.binPageAbove.all(bin, this.#indexedUpTo, cursor, filterChunk) as RequestRow[];
      take(rows);
      if (tooOld(rows)) return page(found, limit);
      cursor = rows.length < filterChunk ? this.#indexedUpTo + 1 : Number(rows[rows.length - 1]!.id);
    }
    const match = ftsQuery(filter, bin);
    while (found.length < wanted) {
      const rows = (match === null
        ? s.pageBefore.all(bin, cursor, filterChunk)
        : s.searchBefore.all(match, cursor, bin, filterChunk)) as RequestRow[];
      take(rows);
      if (rows.length < filterChunk || tooOld(rows)) break;
      cursor = Number(rows[rows.length - 1]!.id);
    }
    return page(found, limit);
  }

  async importRequests(requests: CapturedRequest[]): Promise<StoredRequest[]> {
    this.#flush();
    const stored = this.#insertBatch(requests);
    this.#upkeepThread.requestsChanged();
    return stored;
  }

  async requestsAfter(bin: string, afterId: string, limit: number): Promise<StoredRequest[]> {
    return (this.#statements.after.all(bin, BigInt(afterId), limit) as RequestRow[]).map(toStoredRequest);
  }

  async getRequest(id: string): Promise<StoredRequest | undefined> {
    const row = this.#statements.getRequest.get(BigInt(id)) as RequestRow | undefined;
    return row && toStoredRequest(row);
  }

  async deleteRequest(id: string): Promise<boolean> {
    const bin = this.#makingRoom(this.#db.transaction(() => {
      const deletedFrom = this.#statements.deleteRequest.get(BigInt(id)) as string | undefined;
      if (deletedFrom !== undefined) this.#statements.recount.run(deletedFrom);
      return deletedFrom;
    }));
    this.#upkeepThread.requestsChanged();
    return bin !== undefined;
  }

  async clearBin(bin: string): Promise<number> {
    this.#flush();
    const cleared = this.#makingRoom(this.#db.transaction(() => {
      const { changes } = this.#statements.clearBin.run(bin);
      this.#statements.recount.run(bin);
      return changes;
    }));
    this.#upkeepThread.requestsChanged();
    return cleared;
  }

  async createSession({ idHash, tokenCheck, expiresAt }: LoginSession): Promise<void> {
    this.#statements.deleteExpiredSessions.run(Date.now());
    this.#statements.createSession.run(idHash, tokenCheck, expiresAt);
  }

  async findSession(idHash: string): Promise<LoginSession | undefined> {
    const row = this.#statements.findSession.get(idHash) as { token_check: string; expires_at: number } | undefined;
    return row && { idHash, tokenCheck: row.token_check, expiresAt: row.expires_at };
  }

  async deleteSession(idHash: string): Promise<void> {
    this.#statements.deleteSession.run(idHash);
  }

  onCapture(listener: CaptureListener): () => void {
    return this.#listeners.add(listener);
  }

  /**
   * Resolves once the search index (kept by the upkeep thread, in the background) holds every
   * request up to `id`: filtered listings then read the index rather than scan what it has not reached.
   */
  whenIndexedThrough(id: string): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'));
    if (Number(id) <= this.#indexedUpTo) return Promise.resolve();
    return new Promise((resolve, reject) => this.#indexWaiters.add({ id: Number(id), resolve, reject }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    clearInterval(this.#retentionTimer);
    for (const waiter of this.#indexWaiters) waiter.reject(new Error(`the store closed before the search index reached request ${waiter.id}`));
    this.#indexWaiters.clear();
    await this.#upkeepThread.close();
    try {
      this.#makingRoom(() => this.#db.pragma('wal_checkpoint(TRUNCATE)'));
    } catch (error) {
      // Nothing is lost: the WAL stays beside the database, and the next start reads it back.
      console.error(`authbin: the WAL could not be copied into the database before closing (${(error as Error).message}); it is kept and replayed at the next start`);
    }
    this.#db.close();
  }

  /**
   * Runs a deletion. On a full disk SQLite has no room to write one, so the reserve is given up
   * and it runs again; the WAL is then emptied, so that its room goes to the next captures.
   */
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

  /** Deletes what retention no longer keeps, a chunk per turn of the event loop. */
  #sweep(): void {
    if (this.#closed) return;
    const cutoff = Date.now() - this.#options.retentionDays * 86_400_000;
    const oldest = this.#statements.oldest.all() as { id: number; bin: string; received_at: number }[];
    // Ids grow with time, so the expired requests are a prefix of the table.
    let lastExpired: number | undefined;
    const touched = new Set<string>();
    for (const row of oldest) {
      if (row.received_at >= cutoff) break;
      lastExpired = row.id;
      touched.add(row.bin);
    }
    if (lastExpired !== undefined) {
      this.#makingRoom(this.#db.transaction(() => {
        this.#statements.deleteUpTo.run(lastExpired);
        for (const bin of touched) this.#statements.recount.run(bin);
      }));
      this.#upkeepThread.requestsChanged();
      if (oldest.length === retentionChunk) setImmediate(() => this.#upkeep('retention', () => this.#sweep()));
    }
    this.#enforcePerBinLimit();
  }

  #enforcePerBinLimit(): void {
    if (this.#closed) return;
    const [bin] = this.#binsOverLimit;
    if (bin === undefined) return;
    const s = this.#statements;
    const newestDropped = s.nthNewestId.get(bin, this.#options.maxRequestsPerBin) as number | undefined;
    if (newestDropped === undefined) {
      this.#binsOverLimit.delete(bin);
    } else {
      this.#makingRoom(this.#db.transaction(() => {
        const { changes } = s.deleteOlderInBin.run(bin, newestDropped);
        if (changes < retentionChunk) this.#binsOverLimit.delete(bin);
        // The oldest went: the count drops by what was deleted, the newest time stays.
        s.uncount.run(changes, bin);
      }));
      this.#upkeepThread.requestsChanged();
    }
    if (this.#binsOverLimit.size > 0) setImmediate(() => this.#upkeep('retention', () => this.#enforcePerBinLimit()));
  }
}

/** A request list reads neither headers nor body: the stored summary holds what it shows of them. */
const selectSummaryRows = `SELECT r.id, r.received_at, r.method, r.path, r.query, r.body_size, t.text
  FROM requests AS r LEFT JOIN search.request_summaries AS s ON s.id = r.id LEFT JOIN search.summary_texts AS t ON t.id = s.summary_id`;

/**
 * Every bound limit is `LIMIT ? + 0`, not `LIMIT ?`: SQLite (3.53 in better-sqlite3 12) plans with
 * the value bound to a bare `LIMIT ?`, so every new binding (each call from better-sqlite3) expires
 * the statement, and its next step compiles it again: some 20–30 µs for a page of 50. A sum is left
 * to run time.
 */
function prepareStatements(db: Database.Database) {
  return {
    ensureBin: db.prepare('INSERT INTO bins (id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    insertRequest: db.prepare(`INSERT INTO requests
      (bin, received_at, method, path, query, http_version, remote_address, remote_port, headers, body, body_size, truncated)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    countBin: db.prepare('UPDATE bins SET request_count = request_count + ?, last_request_at = max(coalesce(last_request_at, 0), ?) WHERE id = ? RETURNING request_count').pluck(),
    countBins: db.prepare('SELECT count(*) FROM bins').pluck(),
    listBins: db.prepare(`SELECT * FROM bins WHERE id LIKE ? ESCAPE '\\' ORDER BY ${binActivity} DESC, id LIMIT ? + 0`),
    listBinsAfter: db.prepare(`SELECT * FROM bins WHERE ${binActivity} <= ? AND (${binActivity} < ? OR id > ?) AND id LIKE ? ESCAPE '\\'
      ORDER BY ${binActivity} DESC, id LIMIT ? + 0`),
    getBin: db.prepare('SELECT * FROM bins WHERE id = ?'),
    createSession: db.prepare('INSERT INTO sessions (id_hash, token_check, expires_at) VALUES (?, ?, ?)'),
    findSession: db.prepare('SELECT token_check, expires_at FROM sessions WHERE id_hash = ?'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
    deleteExpiredSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    createBin: db.prepare('INSERT INTO bins (id, created_at, response) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    updateBinResponse: db.prepare('UPDATE bins SET response = ? WHERE id = ?'),
    updateBinForwardTo: db.prepare('UPDATE bins SET forward_to = ? WHERE id = ?'),
    recordForward: db.prepare('UPDATE requests SET forward = ? WHERE id = ?'),
    deleteBin: db.prepare('DELETE FROM bins WHERE id = ?'),
    pageNewest: db.prepare('SELECT * FROM requests WHERE bin = ? ORDER BY id DESC LIMIT ? + 0'),
    pageBefore: db.prepare('SELECT * FROM requests WHERE bin = ? AND id < ? ORDER BY id DESC LIMIT ? + 0'),
    summariesNewest: db.prepare(`${selectSummaryRows} WHERE r.bin = ? ORDER BY r.id DESC LIMIT ? + 0`).raw(),
    summariesBefore: db.prepare(`${selectSummaryRows} WHERE r.bin = ? AND r.id < ? ORDER BY r.id DESC LIMIT ? + 0`).raw(),
    // A request with only the first bytes of its body, the ones the analysis looks at.
    analyzedRequest: db.prepare(`SELECT id, bin, received_at, method, path, query, http_version, remote_address, remote_port, headers,
      coalesce(substr(body, 1, ${analyzedBodyBytes}), x'') AS body, body_size, truncated, forward FROM requests WHERE id = ?`),
    after: db.prepare('SELECT * FROM requests WHERE bin = ? AND id > ? ORDER BY id LIMIT ? + 0'),
    getRequest: db.prepare('SELECT * FROM requests WHERE id = ?'),
    deleteRequest: db.prepare('DELETE FROM requests WHERE id = ? RETURNING bin').pluck(),
    clearBin: db.prepare('DELETE FROM requests WHERE bin = ?'),
    recount: db.prepare(`UPDATE bins SET
      request_count = (SELECT count(*) FROM requests WHERE bin = bins.id),
      last_request_at = (SELECT max(received_at) FROM requests WHERE bin = bins.id)
      WHERE id = ?`),
    nthNewestId: db.prepare('SELECT id FROM requests WHERE bin = ? ORDER BY id DESC LIMIT 1 OFFSET ?').pluck(),
    deleteOlderInBin: db.prepare(`DELETE FROM requests WHERE id IN
      (SELECT id FROM requests WHERE bin = ? AND id <= ? ORDER BY id LIMIT ${retentionChunk})`),
    oldest: db.prepare(`SELECT id, bin, received_at FROM requests ORDER BY id LIMIT ${retentionChunk}`),
    deleteUpTo: db.prepare('DELETE FROM requests WHERE id <= ?'),
    binsOverLimit: db.prepare('SELECT id FROM bins WHERE request_count > ?').pluck(),
    uncount: db.prepare('UPDATE bins SET request_count = request_count - ? WHERE id = ?'),
    indexedUpTo: db.prepare('SELECT indexed_up_to FROM search.search_progress').pluck(),
    // The upkeep thread never writes to this file (capture must never wait for it): the store empties the queue it has done.
    dequeueDeletions: db.prepare('DELETE FROM unindex_queue WHERE position <= ?'),
    binPageAbove: db.prepare('SELECT * FROM requests WHERE bin = ? AND id > ? AND id < ? ORDER BY id DESC LIMIT ? + 0'),
    // The index narrows across all bins; the join keeps this bin's rows.
    searchBefore: db.prepare(`SELECT requests.* FROM search.request_search JOIN requests ON requests.id = request_search.rowid
      WHERE request_search MATCH ? AND request_search.rowid < ? AND requests.bin = ? ORDER BY request_search.rowid DESC LIMIT ? + 0`),
  };
}

function page(found: StoredRequest[], limit: number): StoredPage {
  const requests = found.slice(0, limit);
  return { requests, next: found.length > limit ? requests[requests.length - 1]!.id : null };
}
