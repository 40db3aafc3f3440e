import type Database from 'better-sqlite3';

/**
 * Numbered schema migrations, applied in order and recorded in `PRAGMA user_version`.
 * Never edit a released migration: append a new one.
 */
const migrations: ((db: Database.Database) => void)[] = [
  (db) => {
    db.exec(`
      CREATE TABLE bins (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        response TEXT,
        request_count INTEGER NOT NULL DEFAULT 0,
        last_request_at INTEGER
      ) STRICT;

      CREATE TABLE requests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        bin TEXT NOT NULL REFERENCES bins(id) ON DELETE CASCADE,
        received_at INTEGER NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        query TEXT NOT NULL,
        http_version TEXT NOT NULL,
        remote_address TEXT,
        remote_port INTEGER,
        headers TEXT NOT NULL,
        body BLOB NOT NULL,
        body_size INTEGER NOT NULL,
        truncated INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX requests_by_bin ON requests(bin, id);
    `);
  },
  (db) => {
    // Full-text search, filled in the background so capture never waits for it. Contentless with
    // detail=none: the index holds only which words each request has, not a second copy of it.
    db.exec(`
      CREATE VIRTUAL TABLE request_search USING fts5(
        document, content='', contentless_delete=1, detail=none, tokenize='unicode61 remove_diacritics 0'
      );
      CREATE TABLE search_progress (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        indexed_up_to INTEGER NOT NULL
      ) STRICT;
      INSERT INTO search_progress VALUES (1, 0);
      CREATE TRIGGER requests_unindex AFTER DELETE ON requests BEGIN
        DELETE FROM request_search WHERE rowid = old.id;
      END;
    `);
  },
  (db) => {
    db.exec(`
      ALTER TABLE bins ADD COLUMN forward_to TEXT;
      ALTER TABLE requests ADD COLUMN forward TEXT;
    `);
  },
  (db) => {
    // The search index moves to a file of its own (search-file.ts), written by the upkeep thread, so
    // that its writes never wait for capture's nor capture's for them. Deleted requests are noted
    // here for that thread to take out of the index. The random id ties an index to its database.
    db.exec(`
      DROP TRIGGER requests_unindex;
      DROP TABLE request_search;
      DROP TABLE search_progress;
      CREATE TABLE database_identity (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        value TEXT NOT NULL
      ) STRICT;
      INSERT INTO database_identity VALUES (1, lower(hex(randomblob(16))));
      -- AUTOINCREMENT: positions only grow, even once the queue has been emptied.
      CREATE TABLE unindex_queue (position INTEGER PRIMARY KEY AUTOINCREMENT, request_id INTEGER NOT NULL) STRICT;
      CREATE TRIGGER requests_unindex AFTER DELETE ON requests BEGIN
        INSERT INTO unindex_queue (request_id) VALUES (old.id);
      END;
    `);
  },
  (db) => {
    // Login sessions, so that logging out ends one: the cookie's value is random, only its hash is kept.
    db.exec(`
      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        token_check TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
  (db) => {
    // The bin list's order (see bin-filter.ts), so that a page of it reads only its own rows.
    db.exec('CREATE INDEX bins_by_activity ON bins (coalesce(last_request_at, created_at) DESC, id)');
  },
  (db) => {
    // Requests the HTTP parser refused are kept too, marked with its error code (null for every other request).
    db.exec('ALTER TABLE requests ADD COLUMN parser_error TEXT');
  },
  (db) => {
    // A bin's rules (#19), in order, each with its counter; and how each request was answered (JSON, null before rules).
    db.exec(`
      CREATE TABLE bin_rules (
        bin TEXT NOT NULL REFERENCES bins(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        id TEXT NOT NULL,
        rule TEXT NOT NULL,
        secrets TEXT NOT NULL,
        times INTEGER,
        answered INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (bin, position)
      ) STRICT, WITHOUT ROWID;
      ALTER TABLE requests ADD COLUMN answer TEXT;
    `);
  },
  (db) => {
    // Each capture records its answer as it is stored (a null answer then means the default response);
    // the requests stored before did not, and keep 0 (SQLite adds a column with a default without rewriting rows).
    db.exec('ALTER TABLE requests ADD COLUMN answer_recorded INTEGER NOT NULL DEFAULT 0');
  },
  (db) => {
    // Each distinct answer of a bin stored once (answers.ts): a capture refers to it by id rather than
    // write its JSON again. The requests stored before keep theirs in `answer`, read as they were.
    // AUTOINCREMENT: the id of a deleted answer is never given to another.
    db.exec(`
      CREATE TABLE answers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        bin TEXT NOT NULL REFERENCES bins(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        last_request INTEGER NOT NULL,
        UNIQUE (bin, text)
      ) STRICT;
      ALTER TABLE requests ADD COLUMN answer_id INTEGER;
    `);
  },
];

export const schemaVersion = migrations.length;

/** Brings the database up to the current schema (or `target`); refuses a database from a newer authbin. */
export function migrate(db: Database.Database, target = migrations.length): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`the database has schema version ${current}, newer than this authbin knows (${migrations.length}); upgrade authbin`);
  }
  for (let version = current; version < target; version++) {
    db.transaction(() => {
      migrations[version]!(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
