import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { migrate } from '../../server/store/sqlite/migrations.ts';
import { SqliteStore } from '../../server/store/sqlite/sqlite-store.ts';
import { captured } from '../helpers/captured.ts';

const options = { maxRequestsPerBin: 100_000, retentionDays: 7, maxDbBytes: null };
const body = Buffer.alloc(32 * 1024, 'authbin ');
const mib = (bytes: number) => bytes / 1024 / 1024;

/** 1,200 requests of 32 KiB, every other one to bin `half` (some 38 MiB in all). */
async function fill(store: SqliteStore): Promise<void> {
  for (let i = 0; i < 1200; i += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, j) => store.capture(captured((i + j) % 2 ? 'half' : 'rest', { body, bodySize: body.length }))));
  }
}

function databaseBytes(path: string): number {
  return pragma(path, 'page_count') * pragma(path, 'page_size');
}

function pragma(path: string, name: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma(name, { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('the room deletions free inside the SQLite file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'authbin-free-pages-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('goes back to the filesystem on a new database, past the room kept for the next captures', async () => {
    const path = join(dir, 'new.db');
    const store = new SqliteStore(path, options);
    await fill(store);
    // The database's size with its WAL read in: what the file holds once the WAL is copied back,
    // whenever the upkeep thread does that.
    const full = databaseBytes(path);
    // A few deleted: their room stays in the file, for the next captures.
    for (let id = 1; id <= 10; id++) await store.deleteRequest(String(id));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(databaseBytes(path)).toBe(full);

    expect(await store.deleteBin('half')).toBe(true);
    // Given back step by step on later turns; the file shrinks as the WAL is copied back into it.
    await vi.waitFor(() => expect(mib(full - statSync(path).size)).toBeGreaterThan(10), { timeout: 10_000, interval: 20 });
    await store.close();
    expect(pragma(path, 'auto_vacuum')).toBe(2);
    expect(pragma(path, 'integrity_check')).toBe('ok');
    // What is kept free: 8 MiB (more than an eighth of this file).
    expect(mib(pragma(path, 'freelist_count') * pragma(path, 'page_size'))).toBeCloseTo(8, 0);

    const reopened = new SqliteStore(path, options);
    expect((await reopened.getBin('rest'))!.requestCount).toBe(595);
    await reopened.close();
  });

  it('stays in a database made before (auto_vacuum NONE), which is left as it is: no VACUUM behind the operator', async () => {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    old.pragma('page_size = 16384');
    old.pragma('journal_mode = WAL');
    migrate(old);
    old.close();
    const store = new SqliteStore(path, options);
    await fill(store);
    const full = statSync(path).size;
    expect(await store.deleteBin('half')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await store.close();
    expect(statSync(path).size).toBeGreaterThanOrEqual(full);
    expect(pragma(path, 'auto_vacuum')).toBe(0);
    expect(mib(pragma(path, 'freelist_count') * pragma(path, 'page_size'))).toBeGreaterThan(17);
  });
});
