import type Database from 'better-sqlite3';
import { rmSync } from 'node:fs';

/**
 * The full-text index lives in a file of its own beside the database (`<db>-search`), written only
 * by the store's upkeep thread: SQLite lets one writer at a time into a file, and index writes (FTS5
 * merges can take tens of milliseconds) must never hold up capture. It holds derived data only: when
 * missing, unreadable, of an older layout or made for another database, it is built again from the requests.
 */
export function searchFilePath(databasePath: string): string {
  return `${databasePath}-search`;
}

/**
 * Attaches the search file to `db` as schema `search`, creating or rebuilding it as needed.
 * `db` must be migrated already (its identity is what the index is checked against).
 */
export function attachSearchFile(db: Database.Database, databasePath: string): void {
  try {
    attachAndCheck(db, databasePath);
  } catch (error) {
    if (!isUnreadable(error)) throw error;
    console.error(`authbin: the search index ${searchFilePath(databasePath)} could not be read (${(error as Error).message}); building it again`);
    const attached = (db.pragma('database_list') as { name: string }[]).some((schema) => schema.name === 'search');
    if (attached) db.prepare('DETACH DATABASE search').run();
    for (const suffix of ['', '-wal', '-shm']) rmSync(searchFilePath(databasePath) + suffix, { force: true });
    attachAndCheck(db, databasePath);
  }
}

/**
 * The layout of the search file's tables, kept in its `user_version`: a file of another layout is
 * built again (it holds derived data only). 2: summary texts kept once, referred to by number.
 */
const searchLayout = 2;

/** Opens the attached index for an upkeep thread, which neither creates nor checks it. */
export function attachExistingSearchFile(db: Database.Database, databasePath: string): void {
  db.prepare('ATTACH DATABASE ? AS search').run(searchFilePath(databasePath));
}

function attachAndCheck(db: Database.Database, databasePath: string): void {
  db.prepare('ATTACH DATABASE ? AS search').run(searchFilePath(databasePath));
  db.pragma('search.journal_mode = WAL');
  db.pragma('search.synchronous = NORMAL');
  if (indexMatches(db)) return;
  db.transaction(() => {
    db.exec(`
      DROP TABLE IF EXISTS search.request_search;
      DROP TABLE IF EXISTS search.search_progress;
      DROP TABLE IF EXISTS search.request_summaries;
      DROP TABLE IF EXISTS search.summary_texts;
      -- Contentless with detail=none: the index holds only which words each request has, not a second copy of it.
      CREATE VIRTUAL TABLE search.request_search USING fts5(
        document, content='', contentless_delete=1, detail=none, tokenize='unicode61 remove_diacritics 0'
      );
      CREATE TABLE search.search_progress (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        database_identity TEXT NOT NULL,
        indexed_up_to INTEGER NOT NULL
      ) STRICT;
      -- What a list shows of each request (stored-summary.ts), so that a page of 50 needs no analysis.
      -- Most requests of a bin share theirs: each text is kept once, and each request holds its number.
      CREATE TABLE search.summary_texts (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE) STRICT;
      CREATE TABLE search.request_summaries (id INTEGER PRIMARY KEY, summary_id INTEGER NOT NULL) STRICT;
      -- Finds whether a text is still used once requests are deleted.
      CREATE INDEX search.request_summaries_by_text ON request_summaries (summary_id);
      PRAGMA search.user_version = ${searchLayout};
    `);
    db.prepare('INSERT INTO search.search_progress SELECT 1, value, 0 FROM database_identity').run();
    // Whatever was queued for taking out of an index that is gone.
    db.exec('DELETE FROM unindex_queue');
  })();
}

/**
 * Whether the index has the current layout, and was made for this database and not ahead of it: an
 * older copy of the database put back (a backup) would give new requests ids the index claims to hold already.
 */
function indexMatches(db: Database.Database): boolean {
  if (db.pragma('search.user_version', { simple: true }) !== searchLayout) return false;
  const hasProgress = db.prepare("SELECT 1 FROM search.sqlite_schema WHERE name = 'search_progress'").get() !== undefined;
  if (!hasProgress) return false;
  const progress = db.prepare('SELECT database_identity, indexed_up_to FROM search.search_progress').get() as
    | { database_identity: string; indexed_up_to: number }
    | undefined;
  const identity = db.prepare('SELECT value FROM database_identity').pluck().get() as string;
  const lastId = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'requests'").pluck().get() as number | undefined) ?? 0;
  return progress !== undefined && progress.database_identity === identity && progress.indexed_up_to <= lastId;
}

function isUnreadable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}
