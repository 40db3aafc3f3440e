import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import type { Durability } from '../../config.ts';
import { CaptureListeners } from '../capture-listeners.ts';
import type { EngineParts } from '../engine.ts';
import type { RetentionOptions } from '../retention-policy.ts';
import type { CapturedRequest } from '../store.ts';
import { StoreCore } from '../store-core.ts';
import { sqliteAnswers } from './answers.ts';
import { SqliteBins } from './bins.ts';
import { sqliteRequestChanges } from './change-requests.ts';
import { DiskNearlyFull, DiskReserve, isDiskFull } from './disk-reserve.ts';
import { walCeilingBytes } from './checkpoint-pace.ts';
import { FileIdentity } from './file-identity.ts';
import { FreePages } from './free-pages.ts';
import { prepareInsertBatch } from './insert-batch.ts';
import { migrate } from './migrations.ts';
import { sqliteRequestReads } from './read-requests.ts';
import { deletionStepRows, sqliteRetentionSteps, type Deleting, type DeletingInSteps } from './retention.ts';
import { IndexReach } from './index-reach.ts';
import { attachSearchFile } from './search-file.ts';
import { sqliteRules } from './rules.ts';
import { sqliteSessions } from './sessions.ts';
import { keyFileBeside } from '../../rules/secrets.ts';
import { UpkeepThread } from './upkeep-thread.ts';

export interface SqliteStoreOptions extends RetentionOptions {
  /** `full` syncs the WAL at every commit, so a 2xx survives a power loss too; `normal` (the default) one of authbin only. */
  durability?: Durability;
  /** `AUTHBIN_SECRET_KEY`: the key of rules' secrets; without it, a key file beside the database (`<db>.key`). */
  secretKey?: string;
}

/** Captures committed together at most; more wait for the next transaction. */
const maxBatch = 512;
/** Room kept on the disk for deleting on a full one: a deletion's WAL, and what a checkpoint needs. */
const reserveBytes = 8 * 1024 * 1024;
/** Once the reserve is given up, captures stop while the database has less free room than this inside it. */
const minFreePageBytes = 1024 * 1024;

/**
 * The embedded store: one SQLite file in WAL mode, and its search index in a second file that an
 * upkeep thread keeps (upkeep-worker.ts), off the event loop. The store core (store-core.ts) does
 * the rest; this folder holds the SQL, by job.
 */
export class SqliteStore extends StoreCore<CapturedRequest, number> {
  readonly #index: IndexReach;

  constructor(path: string, options: SqliteStoreOptions) {
    const index = new IndexReach();
    super(sqliteEngine(path, options, index), options);
    this.#index = index;
  }

  /**
   * Resolves once the search index, kept in the background, holds every request up to `id`:
   * filtered listings then read the index rather than scan what it has not reached.
   */
  whenIndexedThrough(id: string): Promise<void> {
    return this.#index.whenThrough(Number(id));
  }
}

function openDatabase(path: string, durability: Durability | undefined, walCeiling: number): Database.Database {
  const db = new Database(path, { fileMustExist: false });
  try {
    // Reading the header first makes a non-SQLite file fail here, before anything is written.
    const schemaVersion = db.pragma('schema_version', { simple: true });
    // Bigger pages hold several 1–2 KB requests each: less space lost per row. Only a new file can choose,
    // and whether the room deletions free can go back to the filesystem (free-pages.ts).
    if (schemaVersion === 0) {
      db.pragma('page_size = 16384');
      db.pragma('auto_vacuum = INCREMENTAL');
    }
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL is durable across a crash of the process; only a crash of the OS or a power loss can undo
    // the last commits. FULL closes that too, at the cost of an fsync per commit (one per batch of captures).
    db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
    // The upkeep thread copies the WAL back (checkpoint-pace.ts); this connection, capture's, only past the ceiling.
    db.pragma(`wal_autocheckpoint = ${Math.ceil(walCeiling / (db.pragma('page_size', { simple: true }) as number))}`);
    db.pragma('foreign_keys = ON');
    // Short: better-sqlite3 waits synchronously, and a capture that cannot write soon is better answered 503.
    db.pragma('busy_timeout = 200');
    migrate(db);
    attachSearchFile(db, path);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function sqliteEngine(path: string, options: SqliteStoreOptions, index: IndexReach): EngineParts<CapturedRequest, number> {
  const walCeiling = walCeilingBytes(options.maxDbBytes);
  const db = openDatabase(path, options.durability, walCeiling);
  let closed = false;

  /**
   * Runs background upkeep. A failure (the database busy, locked or full) is logged and left for
   * a later turn, never thrown into the event loop, where it would stop the server.
   */
  const upkeep = (name: string, work: () => void) => {
    if (closed) return;
    try {
      work();
    } catch (error) {
      console.error(`authbin: ${name} could not run now and will be retried: ${(error as Error).message}`);
    }
  };

  index.reached(db.prepare('SELECT indexed_up_to FROM search.search_progress').pluck().get() as number);
  // The upkeep thread never writes to this file (capture must never wait for it): the store empties the queue it has done.
  const dequeueDeletions = db.prepare('DELETE FROM unindex_queue WHERE position <= ?');
  const identity = new FileIdentity(path, (error) => {
    console.error(`authbin: ${error.message}`);
    // Every other write on this connection (a bin, a session) stops too, not only those that look. The upkeep thread
    // checks for itself before each step (a checkpoint into a file replaced spoiled reads on this connection), and is stopped here too.
    db.pragma('query_only = ON');
    void upkeepThread.close();
  });
  const upkeepThread = new UpkeepThread(
    { path, opened: identity.opened, walCeilingBytes: walCeiling },
    (progress) => {
      index.reached(progress.indexedUpTo);
      if (progress.unindexedThrough > 0) upkeep('search indexing', () => dequeueDeletions.run(progress.unindexedThrough));
    },
    // The commits made while the thread copied: a few, so the copy is short, and the next commit starts the WAL over.
    () => {
      if (!identity.lost) upkeep('WAL checkpoint', () => db.pragma('wal_checkpoint(PASSIVE)'));
    },
    // A file lost is said in the log by the identity's own callback, once.
    () => identity.looksLost(),
  );

  const reserve = new DiskReserve(`${path}-reserve`, reserveBytes);
  reserve.restore();
  const freePages = new FreePages(db, () => !closed && !identity.lost && reserve.allowsGrowth(), (work) => upkeep('giving free pages back to the filesystem', work));
  /** Gives the reserve's room to a deletion on a full disk; false when it was given up already. */
  const giveUpReserve = (): boolean => {
    if (!reserve.release()) return false;
    console.error(`authbin: the disk is full: gave up the ${reserveBytes / 1024 / 1024} MiB kept beside the database to delete; captures leave as much free until it is made again`);
    return true;
  };
  /**
   * Runs a deletion. On a full disk SQLite has no room to write one, so the reserve is given up
   * and it runs again; the WAL is then emptied, so that its room goes to the next captures.
   */
  const makingRoom = <T>(work: () => T): T => {
    identity.check();
    try {
      return work();
    } catch (error) {
      if (!isDiskFull(error) || !giveUpReserve()) throw error;
    }
    const result = work();
    upkeep('WAL checkpoint', () => db.pragma('wal_checkpoint(TRUNCATE)'));
    return result;
  };
  /** A deletion, in a transaction, making room for itself; the indexer then takes what went out of the index. */
  const deleting: Deleting = (work) => {
    const result = makingRoom(db.transaction(work));
    upkeepThread.requestsChanged();
    freePages.deleted();
    return result;
  };
  /**
   * A deletion that may be larger than the reserve (a bin of 40 MiB, whose WAL alone can outgrow
   * 8 MiB): at once while the disk has room; on a full disk in steps, each in its own transaction,
   * the WAL copied back into the database and started over between them, so that every step writes
   * into the same room. A failure midway leaves the steps done deleted: deleting again finishes it.
   */
  const deletingInSteps: DeletingInSteps = (all, step, finish) => {
    identity.check();
    let result;
    try {
      result = db.transaction(all)();
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      result = stepByStep(step, finish);
    }
    upkeepThread.requestsChanged();
    freePages.deleted();
    return result;
  };
  const stepByStep = <T>(step: () => number, finish: (deleted: number) => T): T => {
    giveUpReserve();
    console.error(`authbin: the disk is full: deleting in steps of ${deletionStepRows} requests, the WAL copied back into the database between them`);
    // What captures left in the WAL goes into the database first: the steps then write the WAL from its start.
    const checkpoint = (mode: 'RESTART' | 'TRUNCATE') => upkeep('WAL checkpoint', () => db.pragma(`wal_checkpoint(${mode})`));
    checkpoint('RESTART');
    const takeStep = db.transaction(step);
    let deleted = 0;
    for (let taken = takeStep(); taken > 0; taken = takeStep()) {
      deleted += taken;
      checkpoint('RESTART');
    }
    const result = db.transaction(finish)(deleted);
    checkpoint('TRUNCATE');
    return result;
  };
  /** Room inside the database file, left by deletions: captures fill it without growing the file. */
  const freePageBytes = () => (db.pragma('main.freelist_count', { simple: true }) as number) * (db.pragma('main.page_size', { simple: true }) as number);

  const answers = sqliteAnswers(db);
  const bins = new SqliteBins(db, deletingInSteps, answers);
  const insertBatch = prepareInsertBatch(db, answers);
  return {
    requests: {
      ...sqliteRequestReads(db, () => index.upTo),
      ...sqliteRequestChanges(db, deleting, deletingInSteps, answers),
      maxBatch,
      prepare: (request) => request,
      insert(requests, { live, isKnown }) {
        identity.check();
        if (live && !reserve.allowsGrowth() && freePageBytes() < minFreePageBytes) {
          throw new DiskNearlyFull();
        }
        try {
          const inserted = insertBatch(requests, isKnown);
          bins.created(inserted.binsCreated);
          upkeepThread.requestsChanged();
          return inserted;
        } catch (error) {
          // The WAL could not grow: copied back into the database, it starts over from its beginning, in the room it has.
          if (isDiskFull(error)) setImmediate(() => upkeep('WAL checkpoint', () => db.pragma('wal_checkpoint(RESTART)')));
          throw error;
        }
      },
    },
    bins,
    sessions: sqliteSessions(db),
    rules: sqliteRules(db),
    ruleKey: () => (options.secretKey === undefined ? keyFileBeside(path) : Buffer.from(options.secretKey, 'utf8')),
    retention: { ...sqliteRetentionSteps(db, deleting, answers), upkeep: async () => void reserve.restore() },
    listeners: new CaptureListeners(),
    tellOnCommit: true,
    async close() {
      closed = true;
      freePages.close();
      index.close();
      await upkeepThread.close();
      // A file gone or replaced gets no checkpoint (SQLite skips it too, the file having moved). Its WAL and
      // shared memory stay at the path, though, and the next start would read them into the file found there now.
      if (identity.lost) {
        db.close();
        for (const suffix of ['-wal', '-shm']) rmSync(path + suffix, { force: true });
        return;
      }
      try {
        makingRoom(() => db.pragma('wal_checkpoint(TRUNCATE)'));
      } catch (error) {
        // Nothing is lost: the WAL stays beside the database, and the next start reads it back.
        console.error(`authbin: the WAL could not be copied into the database before closing (${(error as Error).message}); it is kept and replayed at the next start`);
      }
      db.close();
    },
  };
}
