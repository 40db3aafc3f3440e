import pg from 'pg';
import type { RequestReader } from '../store.ts';
import { requestColumns, selectedColumn, toStoredRequest, type RequestRow } from './rows.ts';

/**
 * The request columns as this database has them: one no server has upgraded yet lacks those added
 * since (`parser_error`, `answer`…), which read as NULL, as the upgrade would fill them, and reads
 * `answer` from the request alone when it has no answers table to refer to (`answer_id`). The reader
 * never migrates: it may run beside an older server that owns the database.
 */
async function columnsPresent(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'requests'",
  );
  if (rows.length === 0) throw new Error('it is not an authbin database (it has no requests table)');
  const present = new Set(rows.map((row) => row.column_name));
  return requestColumns
    .split(', ')
    .map((column) => (!present.has(column) ? `NULL AS ${column}` : column === 'answer' && !present.has('answer_id') ? column : selectedColumn(column)))
    .join(', ');
}

/** One connection that only reads requests: no migration, no live feed, no retention, as beside a running server. */
export async function openPostgresReader(url: string): Promise<RequestReader> {
  const pool = new pg.Pool({ connectionString: url, application_name: 'authbin diff', max: 1, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {});
  let columns: string;
  try {
    // Connecting now makes an unreachable server or a wrong password fail here, with its own message.
    columns = await columnsPresent(pool);
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return {
    getRequest: async (id) => {
      const [row] = (await pool.query<RequestRow>(`SELECT ${columns} FROM requests WHERE id = $1`, [id])).rows;
      return row && toStoredRequest(row);
    },
    close: () => pool.end(),
  };
}
