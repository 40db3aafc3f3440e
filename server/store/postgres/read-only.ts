import pg from 'pg';
import type { RequestReader } from '../store.ts';
import { postgresRequestReads } from './read-requests.ts';

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
  const reads = postgresRequestReads(pool);
  return {
    getRequest: async (id) => reads.get(id),
    close: () => pool.end(),
  };
}
