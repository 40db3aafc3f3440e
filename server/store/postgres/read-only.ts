import pg from 'pg';
import type { RequestReader } from '../store.ts';
import { readRequests } from './read-requests.ts';
import { requestColumns } from './rows.ts';

/** One connection that only reads requests: no migration, no live feed, no retention, as beside a running server. */
export async function openPostgresReader(url: string): Promise<RequestReader> {
  const pool = new pg.Pool({ connectionString: url, application_name: 'authbin diff', max: 1, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {});
  try {
    // Connecting now makes an unreachable server or a wrong password fail here, with its own message.
    (await pool.connect()).release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return {
    async getRequest(id) {
      return (await readRequests(pool, `SELECT ${requestColumns} FROM requests WHERE id = $1`, [id]))[0];
    },
    close: () => pool.end(),
  };
}
