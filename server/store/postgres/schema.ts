import type pg from 'pg';
import { lockKeys } from './transaction.ts';

/** Bytes a row costs beyond its variable fields: tuple header, fixed columns, index entries. */
export const rowOverheadBytes = 100;

/**
 * Numbered schema migrations, applied in order, each in its own transaction, and recorded in
 * `schema_migrations`. Never edit a released migration: append a new one.
 */
const migrations: string[] = [
  `
  -- "C" collation: bins sort byte by byte, as they do in SQLite.
  CREATE TABLE bins (
    id text COLLATE "C" PRIMARY KEY,
    created_at bigint NOT NULL,
    response text,
    request_count integer NOT NULL DEFAULT 0,
    last_request_at bigint,
    forward_to text
  );

  CREATE TABLE requests (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bin text COLLATE "C" NOT NULL REFERENCES bins(id) ON DELETE CASCADE,
    received_at bigint NOT NULL,
    method text NOT NULL,
    path text NOT NULL,
    query text NOT NULL,
    http_version text NOT NULL,
    remote_address text,
    remote_port integer,
    headers jsonb NOT NULL,
    body bytea NOT NULL,
    body_size bigint NOT NULL,
    truncated boolean NOT NULL,
    forward text,
    -- text and jsonb cannot hold U+0000: the exact values of the fields that do, as JSON text; null for nearly every row.
    exact_fields text,
    -- The words and facts of the request (see search-terms.ts), filled by the insert.
    search tsvector NOT NULL
  );

  CREATE INDEX requests_by_bin ON requests (bin, id);
  CREATE INDEX requests_search ON requests USING gin (search);

  -- What the rows hold, in bytes, for the size cap: one delta per statement that adds or deletes requests,
  -- appended (never updated) so that writers never wait on one another for it; compacted now and then.
  CREATE TABLE stored_bytes (delta bigint NOT NULL);

  CREATE FUNCTION authbin_count_stored_bytes() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO stored_bytes (delta)
        SELECT sum(octet_length(n.body) + pg_column_size(n.headers) + pg_column_size(n.search) + octet_length(n.path) + octet_length(n.query) + ${rowOverheadBytes})
        FROM added n HAVING count(*) > 0;
    ELSE
      INSERT INTO stored_bytes (delta)
        SELECT -sum(octet_length(o.body) + pg_column_size(o.headers) + pg_column_size(o.search) + octet_length(o.path) + octet_length(o.query) + ${rowOverheadBytes})
        FROM removed o HAVING count(*) > 0;
    END IF;
    RETURN NULL;
  END $$;

  CREATE TRIGGER requests_count_added AFTER INSERT ON requests
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION authbin_count_stored_bytes();
  CREATE TRIGGER requests_count_removed AFTER DELETE ON requests
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION authbin_count_stored_bytes();
  `,
  `
  -- Login sessions, so that logging out ends one on every instance: only the hash of the cookie's value is kept.
  CREATE TABLE sessions (
    id_hash text PRIMARY KEY,
    token_check text NOT NULL,
    expires_at bigint NOT NULL
  );
  `,
  `
  -- The bin list's order (see bin-filter.ts), so that a page of it reads only its own rows.
  CREATE INDEX bins_by_activity ON bins ((coalesce(last_request_at, created_at)) DESC, id);
  `,
  `
  -- Requests the HTTP parser refused are kept too, marked with its error code (null for every other request).
  ALTER TABLE requests ADD COLUMN parser_error text;
  `,
  `
  -- A bin's rules (#19), in order, each with its counter; and how each request was answered (JSON, null before rules).
  CREATE TABLE bin_rules (
    bin text COLLATE "C" NOT NULL REFERENCES bins(id) ON DELETE CASCADE,
    position integer NOT NULL,
    id text NOT NULL,
    rule text NOT NULL,
    secrets text NOT NULL,
    times integer,
    answered integer NOT NULL DEFAULT 0,
    PRIMARY KEY (bin, position)
  );
  ALTER TABLE requests ADD COLUMN answer text;

  -- Every instance keeps the rules of the bins it captures for in memory: a bin whose rules are added or
  -- removed (replaced, or deleted with their bin) is named on this channel, whatever wrote them.
  -- Counting an answer (UPDATE) is not a change of the rules and says nothing.
  CREATE FUNCTION authbin_announce_rules() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_notify('authbin_rules', bin) FROM (SELECT DISTINCT bin FROM changed) AS bins;
    RETURN NULL;
  END $$;

  CREATE TRIGGER bin_rules_added AFTER INSERT ON bin_rules
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION authbin_announce_rules();
  CREATE TRIGGER bin_rules_removed AFTER DELETE ON bin_rules
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION authbin_announce_rules();
  `,
  `
  -- Each capture records its answer as it is stored (a null answer then means the default response);
  -- the requests stored before did not, and keep false (a constant default rewrites no row).
  ALTER TABLE requests ADD COLUMN answer_recorded boolean NOT NULL DEFAULT false;
  `,
  `
  -- Each distinct answer of a bin stored once (answers.ts): a capture refers to it by id rather than write
  -- its JSON again. The requests stored before keep theirs in answer, read as they were. last_request is the
  -- newest request that refers to it, so the answers none refers to any more are found without reading the requests.
  CREATE TABLE answers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bin text COLLATE "C" NOT NULL REFERENCES bins(id) ON DELETE CASCADE,
    -- Unique by the SHA-256 of the text (as UTF-8), not the text: an answer may be longer than a B-tree entry can be.
    digest bytea NOT NULL,
    text text NOT NULL,
    last_request bigint NOT NULL,
    UNIQUE (bin, digest)
  );
  ALTER TABLE requests ADD COLUMN answer_id bigint;
  `,
];

export const schemaVersion = migrations.length;

/**
 * Brings the database up to the current schema (or `target`); refuses a database from a newer authbin.
 * Holds an advisory lock throughout, so instances that start together migrate one after the other.
 */
export async function migrate(client: pg.ClientBase, target = migrations.length): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1, $2)', [...lockKeys.migrate]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ current: number }>('SELECT coalesce(max(version), 0) AS current FROM schema_migrations');
    const current = rows[0]!.current;
    if (current > migrations.length) {
      throw new Error(`the database has schema version ${current}, newer than this authbin knows (${migrations.length}); upgrade authbin`);
    }
    for (let version = current; version < target; version++) {
      await client.query('BEGIN');
      try {
        await client.query(migrations[version]!);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version + 1]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, $2)', [...lockKeys.migrate]);
  }
}
