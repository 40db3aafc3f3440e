import type Database from 'better-sqlite3';
import type { LoginSession } from '../store.ts';

/** Login sessions in the SQLite file. */
export function prepareSessions(db: Database.Database) {
  const deleteExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  const insert = db.prepare('INSERT INTO sessions (id_hash, token_check, expires_at) VALUES (?, ?, ?)');
  const find = db.prepare('SELECT token_check, expires_at FROM sessions WHERE id_hash = ?');
  const remove = db.prepare('DELETE FROM sessions WHERE id_hash = ?');
  return {
    /** Keeps a new session, and forgets the expired ones. */
    create({ idHash, tokenCheck, expiresAt }: LoginSession): void {
      deleteExpired.run(Date.now());
      insert.run(idHash, tokenCheck, expiresAt);
    },
    find(idHash: string): LoginSession | undefined {
      const row = find.get(idHash) as { token_check: string; expires_at: number } | undefined;
      return row && { idHash, tokenCheck: row.token_check, expiresAt: row.expires_at };
    },
    delete(idHash: string): void {
      remove.run(idHash);
    },
  };
}
