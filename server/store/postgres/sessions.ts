import type pg from 'pg';
import type { LoginSession } from '../store.ts';

/** Login sessions in PostgreSQL, so that logging out ends one on every instance. */

/** Keeps a new session, and forgets the expired ones. */
export async function createSession(pool: pg.Pool, { idHash, tokenCheck, expiresAt }: LoginSession): Promise<void> {
  await pool.query('DELETE FROM sessions WHERE expires_at <= $1', [Date.now()]);
  await pool.query('INSERT INTO sessions (id_hash, token_check, expires_at) VALUES ($1, $2, $3)', [idHash, tokenCheck, expiresAt]);
}

export async function findSession(pool: pg.Pool, idHash: string): Promise<LoginSession | undefined> {
  const { rows } = await pool.query<{ token_check: string; expires_at: string }>('SELECT token_check, expires_at FROM sessions WHERE id_hash = $1', [idHash]);
  return rows[0] && { idHash, tokenCheck: rows[0].token_check, expiresAt: Number(rows[0].expires_at) };
}

export async function deleteSession(pool: pg.Pool, idHash: string): Promise<void> {
  await pool.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}
