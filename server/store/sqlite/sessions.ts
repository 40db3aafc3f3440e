import type Database from 'better-sqlite3';
import type { SessionTable } from '../engine.ts';

/** Login sessions in the SQLite file. */
export function sqliteSessions(db: Database.Database): SessionTable {
  const deleteExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  const insert = db.prepare('INSERT INTO sessions (id_hash, token_check, expires_at) VALUES (?, ?, ?)');
  const find = db.prepare('SELECT token_check, expires_at FROM sessions WHERE id_hash = ?');
  const remove = db.prepare('DELETE FROM sessions WHERE id_hash = ?');
  return {
    create({ idHash, tokenCheck, expiresAt }) {
      deleteExpired.run(Date.now());
      insert.run(idHash, tokenCheck, expiresAt);
    },
    find(idHash) {
      const row = find.get(idHash) as { token_check: string; expires_at: number } | undefined;
      return row && { idHash, tokenCheck: row.token_check, expiresAt: row.expires_at };
    },
    delete(idHash) {
      remove.run(idHash);
    },
  };
}
