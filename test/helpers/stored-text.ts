import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import pg from 'pg';
import { isPostgresUrl } from '../../server/store/database-kind.ts';

/**
 * Where a database holds any of `needles` in clear, as `"<needle> in <place>"`: in a SQLite file or
 * its WAL (the key file beside them aside), as UTF-8 or UTF-16; in any column of any PostgreSQL
 * table, read as text (a bytea column as its hex).
 */
export async function foundInDatabase(db: string, needles: string[]): Promise<string[]> {
  const places = isPostgresUrl(db) ? await postgresColumns(db) : sqliteFiles(db);
  const found: string[] = [];
  for (const { place, text } of places) {
    for (const needle of needles) {
      const forms = [needle, Buffer.from(needle, 'utf16le').toString('latin1'), Buffer.from(needle).toString('hex')];
      if (forms.some((form) => text.includes(form))) found.push(`${needle} in ${place}`);
    }
  }
  return found;
}

/** The SQLite file and those SQLite keeps beside it (WAL, shared memory), as bytes read one to a character. */
function sqliteFiles(path: string): { place: string; text: string }[] {
  const folder = dirname(path);
  return readdirSync(folder)
    .filter((name) => name.startsWith(basename(path)) && !name.endsWith('.key'))
    .map((name) => ({ place: name, text: readFileSync(join(folder, name)).toString('latin1') }));
}

/** Every column of every table in the public schema, all its rows as text. */
async function postgresColumns(url: string): Promise<{ place: string; text: string }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: columns } = await client.query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
    );
    const places = [];
    for (const { table_name: table, column_name: column } of columns) {
      const sql = `SELECT coalesce(string_agg(${pg.escapeIdentifier(column)}::text, E'\\n'), '') AS text FROM ${pg.escapeIdentifier(table)}`;
      places.push({ place: `${table}.${column}`, text: (await client.query<{ text: string }>(sql)).rows[0]!.text });
    }
    return places;
  } finally {
    await client.end();
  }
}
