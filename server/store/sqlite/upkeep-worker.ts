// The SQLite store's upkeep thread: on a connection of its own, it keeps the search index (a file of
// its own, see search-file.ts) in step with the requests and copies the database's WAL back into
// the file, so that neither holds up the event loop that answers captures.
import Database from 'better-sqlite3';
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { CheckpointPace, copyIntervalsMs } from './checkpoint-pace.ts';
import { FileIdentity } from './file-identity.ts';
import { attachExistingSearchFile } from './search-file.ts';
import { SearchIndexer, type IndexProgress } from './search-indexer.ts';
import type { FromUpkeep, ToUpkeep, UpkeepStart } from './upkeep-messages.ts';

/** Once requests stop coming, what the last steps wrote is copied back after this long. */
const trailingCheckpointMs = 200;
/**
 * Told of new requests, the thread waits this long before indexing them, so that a steady trickle
 * is indexed in steps of many rather than one transaction (and one wake-up) per request. Search
 * finds requests the index has not reached yet all the same.
 */
const gatherMs = 100;
/** How long indexing waits after the database refused it. */
const retryMs = 1000;
/** Copies of the database's WAL this thread makes after the first before it hands the rest to capture's connection (see checkpoint()). */
const catchUpCopies = 3;

/**
 * How much nicer than the process (capture's thread) the upkeep thread runs; 19 is the nicest. It
 * takes the CPU that capture leaves, and catches up when capture slows.
 */
const backgroundNicenessStep = 10;

const port = parentPort!;
runAtBackgroundPriority();
const { path, opened, walCeilingBytes } = workerData as UpkeepStart;
// The store says so in the log when the file is found gone or replaced; this thread then only stops.
const identity = new FileIdentity(path, () => undefined, opened);
const started = startOnTheFileOpened();
if (started === undefined) process.exit(0);
const { db, indexer, pageBytes }: Started = started;
let lastProgress: IndexProgress = { indexedUpTo: indexer.indexedUpTo(), unindexedThrough: 0 };

let closing = false;
let indexTimer: NodeJS.Timeout | undefined;
let trailingCheckpoint: NodeJS.Timeout | undefined;
const databasePace = new CheckpointPace(performance.now(), walCeilingBytes, copyIntervalsMs.database);
const searchPace = new CheckpointPace(performance.now(), walCeilingBytes, copyIntervalsMs.search);
/** The store copies back what was committed during this thread's copy of the WAL; until it says so, this thread reads nothing. */
let awaitingStore = false;
/** Indexing asked for while awaiting the store: it starts once the store has answered. */
let indexingDeferred = false;
/** Why the last step failed, until one succeeds: a full disk fails every retry, worth one log line, not one a second. */
let indexFailure: string | undefined;

function post(message: FromUpkeep): void {
  port.postMessage(message);
}

/** Indexes one step, then comes back for the next (after the messages that arrived meanwhile). */
function indexSome(): void {
  indexTimer = undefined;
  if (closing) return;
  // The file gone or replaced, the index would only follow a database nobody will open again.
  if (identity.looksLost()) return finish();
  let progress: IndexProgress | undefined;
  try {
    progress = indexer.step();
  } catch (error) {
    const reason = (error as Error).message;
    if (reason !== indexFailure) console.error(`authbin: search indexing could not run now and will be retried every second: ${reason}`);
    indexFailure = reason;
    scheduleIndexing(retryMs);
    return;
  }
  if (indexFailure !== undefined) {
    console.error('authbin: search indexing runs again');
    indexFailure = undefined;
  }
  checkpointIfDue();
  if (closing) return;
  if (progress === undefined) {
    post({ type: 'indexed', progress: lastProgress, idle: true });
    // Once requests stop coming, what the last steps wrote is copied back too.
    clearTimeout(trailingCheckpoint);
    trailingCheckpoint = setTimeout(() => checkpoint(true, true), trailingCheckpointMs);
    return;
  }
  lastProgress = progress;
  post({ type: 'indexed', progress, idle: false });
  scheduleIndexing(0);
}

function scheduleIndexing(delayMs: number): void {
  if (indexTimer !== undefined || closing) return;
  if (awaitingStore) indexingDeferred = true;
  else indexTimer = setTimeout(indexSome, delayMs);
}

function checkpointIfDue(): void {
  const now = performance.now();
  checkpoint(databasePace.due(now, indexer.bytesIndexed), searchPace.due(now, indexer.bytesIndexed));
}

/**
 * Copies the WALs back into their files with passive checkpoints, which never wait for the main
 * thread: each copies what its WAL held when it began.
 *
 * SQLite starts a WAL over only at a commit that finds all of it copied back and no reader in it.
 * Under a stream of captures, commits land during every copy, so this thread alone would never
 * catch up, and the WAL would grow to its ceiling (checkpoint-pace.ts), where capture's own
 * connection copies all that is left while every capture waits. So once the WAL is past a quarter
 * of its ceiling, after copying the bulk, this thread asks the store to copy the few commits made
 * meanwhile, on capture's connection, and reads nothing until it has (a read begun now would keep
 * the WAL from starting over): capture's next commit then starts the WAL over.
 */
function checkpoint(database: boolean, search: boolean): void {
  if (!database && !search) return;
  if (identity.looksLost()) return finish();
  const now = performance.now();
  try {
    if (database) {
      databasePace.copied(now, indexer.bytesIndexed);
      let copy = copyDatabaseWal();
      // Busy: capture's connection is copying it already. Below a quarter of its ceiling, the WAL may grow on.
      const handOver = () => copy.busy === 0 && copy.log * pageBytes >= walCeilingBytes / 4;
      // What capture's connection copies, on the event loop, is what was committed during this thread's
      // last copy: copying that again here first leaves it a fraction. Only while each copy leaves less
      // behind and the WAL is under half its ceiling: starved of CPU, this thread would let it grow on.
      for (let again = 0; again < catchUpCopies && handOver() && copy.log * pageBytes < walCeilingBytes / 2; again++) {
        const left = copy.log - copy.checkpointed;
        copy = copyDatabaseWal();
        if (copy.log - copy.checkpointed >= left) break;
      }
      if (handOver()) {
        awaitingStore = true;
        if (indexTimer !== undefined) {
          clearTimeout(indexTimer);
          indexTimer = undefined;
          indexingDeferred = true;
        }
        post({ type: 'wal-copied' });
      }
    }
    if (search) {
      searchPace.copied(now, indexer.bytesIndexed);
      db.pragma('search.wal_checkpoint(PASSIVE)');
    }
  } catch (error) {
    console.error(`authbin: a WAL checkpoint could not run now and will be retried: ${(error as Error).message}`);
  }
}

/** A passive checkpoint of the database's WAL: `log` frames in it, `checkpointed` of them copied back. */
function copyDatabaseWal(): { busy: number; log: number; checkpointed: number } {
  return (db.pragma('main.wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[])[0]!;
}

/** Closes the connection and the port: with nothing left to wait for, the thread ends. */
function finish(): void {
  if (closing) return;
  closing = true;
  clearTimeout(indexTimer);
  clearTimeout(trailingCheckpoint);
  db.close();
  port.close();
}

port.on('message', (message: ToUpkeep) => {
  // A step is also when the database's WAL is copied back: with a small ceiling, gathering lasts one interval of that at most.
  if (message.type === 'requests-changed') scheduleIndexing(Math.min(gatherMs, databasePace.intervalMs));
  else if (message.type === 'wal-caught-up') {
    awaitingStore = false;
    if (indexingDeferred) {
      indexingDeferred = false;
      scheduleIndexing(0);
    }
  } else if (message.type === 'close') finish();
});

scheduleIndexing(0);

/**
 * Lowers this thread's priority (Linux schedules threads one by one, and /proc/thread-self names
 * this one). Elsewhere the thread keeps normal priority: renicing by process id would slow capture too.
 * Safe because this thread never writes to the database file capture writes to, so capture can
 * never wait for it while it waits for the CPU.
 */
function runAtBackgroundPriority(): void {
  let threadId: number;
  try {
    threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return;
  }
  // Relative to the process's own niceness, so authbin started under `nice` (or systemd's Nice=) still
  // runs its upkeep below capture.
  if (Number.isSafeInteger(threadId) && threadId > 0) setPriority(threadId, Math.min(19, getPriority(threadId) + backgroundNicenessStep));
}

interface Started {
  db: Database.Database;
  indexer: SearchIndexer;
  pageBytes: number;
}

/**
 * A connection to the file the store opened, set up, or undefined once the path names another file
 * or none: started again after the file was replaced, this thread would open the file now at the
 * path with the WAL of the one gone; deleted after the open, the first read fails (SQLite looks
 * the file up by its path to open the WAL beside it), and the store has said why.
 */
function startOnTheFileOpened(): Started | undefined {
  let db: Database.Database | undefined;
  try {
    db = identity.openUnlessLost(() => new Database(path, { fileMustExist: true }));
    if (db === undefined) return undefined;
    // This thread may wait for a lock: capture on the main thread holds the database's only briefly.
    db.pragma('busy_timeout = 5000');
    attachExistingSearchFile(db, path);
    // It reads each new request once, in order, and writes index segments: a small page cache will do
    // (better-sqlite3's default is 16 MB per file), and keeps the thread's share of memory small.
    db.pragma('main.cache_size = -2048');
    db.pragma('search.cache_size = -4096');
    return { db, indexer: new SearchIndexer(db), pageBytes: db.pragma('main.page_size', { simple: true }) as number };
  } catch (error) {
    if (!identity.looksLost()) throw error;
    // The store's own connection keeps the file open: closing this one copies nothing back.
    db?.close();
    return undefined;
  }
}
