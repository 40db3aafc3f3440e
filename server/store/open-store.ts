import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Config } from '../config.ts';
import { isPostgresUrl } from './database-kind.ts';
import { openSqliteReader } from './sqlite/read-only.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { RequestReader, Store } from './store.ts';

export type StoreConfig = Pick<Config, 'db' | 'maxRequestsPerBin' | 'retentionDays' | 'maxDbBytes'> & Partial<Pick<Config, 'durability' | 'secretKey'>>;

/**
 * The database as it may be shown in messages: a SQLite file's absolute path, or a PostgreSQL URL
 * without its password.
 */
export function databaseLabel(db: string): string {
  if (!isPostgresUrl(db)) return resolve(db);
  try {
    const url = new URL(db);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'the PostgreSQL URL given (it is not a valid URL)';
  }
}

/** Opens the store `config.db` names, creating a SQLite file's folder when needed. */
export async function openStore(config: StoreConfig): Promise<Store> {
  const options = { maxRequestsPerBin: config.maxRequestsPerBin, retentionDays: config.retentionDays, maxDbBytes: config.maxDbBytes };
  if (isPostgresUrl(config.db)) {
    // Loaded only when used: a SQLite deployment never loads the PostgreSQL client.
    const { PostgresStore } = await import('./postgres/postgres-store.ts');
    return PostgresStore.open(config.db, { ...options, ...(config.secretKey && { secretKey: config.secretKey }) });
  }
  const path = resolve(config.db);
  mkdirSync(dirname(path), { recursive: true });
  return new SqliteStore(path, { ...options, durability: config.durability, ...(config.secretKey && { secretKey: config.secretKey }) });
}

/**
 * Reads the requests of the database `db` names without opening it as a store: nothing is written,
 * migrated or swept, so it is safe beside the server that owns it. Rejects with why it cannot be read.
 */
export async function openRequestReader(db: string): Promise<RequestReader> {
  if (isPostgresUrl(db)) {
    const { openPostgresReader } = await import('./postgres/read-only.ts');
    return openPostgresReader(db);
  }
  return openSqliteReader(resolve(db));
}
