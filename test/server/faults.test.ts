import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bin } from '../../shared/api.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
afterEach(() => t.close());

describe('when the database cannot be written', () => {
  it('answers capture with 503 and Retry-After, keeps reads working, and recovers by itself', async () => {
    t = makeTestApp();
    const base = await t.listen();
    expect((await fetch(`${base}/b/locked`, { method: 'POST', body: 'before' })).status).toBe(200);

    // Another process holds the write lock.
    const other = new Database(t.dbPath);
    other.exec('BEGIN IMMEDIATE');
    try {
      const refused = await fetch(`${base}/b/locked`, { method: 'POST', body: 'during' });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('storage_unavailable');
      // A bin that does not exist yet is not half-created either.
      expect((await fetch(`${base}/b/brand-new`, { method: 'POST' })).status).toBe(503);

      const read = await fetch(`${base}/api/bins/locked`);
      expect(read.status).toBe(200);
      expect(((await read.json()) as Bin).requestCount).toBe(1);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }

    expect((await fetch(`${base}/b/locked`, { method: 'POST', body: 'after' })).status).toBe(200);
    expect((await fetch(`${base}/b/brand-new`, { method: 'POST' })).status).toBe(200);
    expect(((await (await fetch(`${base}/api/bins/locked`)).json()) as Bin).requestCount).toBe(2);
    expect(((await (await fetch(`${base}/api/bins/brand-new`)).json()) as Bin).requestCount).toBe(1);
  });
});
