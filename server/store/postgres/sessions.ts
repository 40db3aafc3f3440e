import type pg from 'pg';
import type { SessionTable } from '../engine.ts';

/** Login sessions in PostgreSQL, so that logging out ends one on every instance. */
export function postgresSessions(pool: pg.Pool): SessionTable {
  return {
    async create({ idHash, tokenCheck, expiresAt }) {
      await pool.query('DELETE FROM sessions WHERE expires_at <= $1', [Date.now()]);
      await pool.query('INSERT INTO sessions (id_hash, token_check, expires_at) VALUES ($1, $2, $3)', [idHash, tokenCheck, expiresAt]);
    },
    async find(idHash) {
      const { rows } = await pool.query<{ token_check: string; expires_at: string }>('SELECT token_check, expires_at FROM sessions WHERE id_hash = $1', [idHash]);
      return rows[0] && { idHash, tokenCheck: rows[0].token_check, expiresAt: Number(rows[0].expires_at) };
    },
    async delete(idHash) {
      await pool.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
    },
  };
}
