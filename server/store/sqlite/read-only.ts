import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { RequestReader } from '../store.ts';
import { requestColumns, toStoredRequest, type RequestRow } from './rows.ts';

/**
 * The SQLite file opened read-only: nothing is migrated, swept or indexed, so it can be read beside
 * the server that owns it (WAL lets readers in while it writes).
 */
export function openSqliteReader(path: string): RequestReader {
  if (!existsSync(path)) throw new Error('there is no database file there');
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    // A file older than the answers table (migrations.ts) holds every answer in its request's own column.
    const hasAnswers = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'answers'").get() !== undefined;
    const getRequest = db.prepare(hasAnswers ? `SELECT ${requestColumns} FROM requests WHERE id = ?` : 'SELECT * FROM requests WHERE id = ?');
    return {
      async getRequest(id) {
        const row = getRequest.get(BigInt(id)) as RequestRow | undefined;
        return row && toStoredRequest(row);
      },
      async close() {
        db.close();
      },
    };
  } catch (error) {
    db.close();
    if (/no such table/i.test((error as Error).message)) throw new Error('it is not an authbin database (it has no requests table)');
    throw error;
  }
}
