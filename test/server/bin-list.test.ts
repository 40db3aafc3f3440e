import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, Bin, BinList } from '../../shared/api.ts';
import { startTestApp, testEngines, type TestApp } from '../helpers/app.ts';

const activity = (bin: Bin) => Date.parse(bin.lastRequestAt ?? bin.createdAt);
/** The list's order: the latest activity first, then by id. */
const listOrder = (a: Bin, b: Bin) => activity(b) - activity(a) || (a.id < b.id ? -1 : 1);

describe.each(testEngines())('the bin list on $name', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
    for (let i = 0; i < 240; i++) await t.store.createBin(i % 2 ? `hook_${i}` : `Other-${i}`, null);
    await t.store.createBin('hookx1', null);
    // Activity moves bins to the front: some of them, twice over, in the same millisecond or not.
    for (const i of [5, 17, 17, 200, 3]) {
      // Different bins a few ms apart, so the expected order is not left to a tie on a fast or loaded machine.
      if (i !== 17) await new Promise((resolve) => setTimeout(resolve, 3));
      expect((await t.app.request(`/b/${i % 2 ? `hook_${i}` : `Other-${i}`}`)).status).toBe(200);
    }
  });
  afterAll(() => t.close());

  const list = async (query: string) => {
    const response = await t.app.request(`/api/bins?${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as BinList;
  };
  /** Every page of the list, following `next`. */
  const everyPage = async (query: string) => {
    const pages: BinList[] = [await list(query)];
    while (pages[pages.length - 1]!.next) pages.push(await list(`${query}&before=${encodeURIComponent(pages[pages.length - 1]!.next!)}`));
    return pages;
  };

  it('pages through every bin once, latest activity first, 100 at a time by default', async () => {
    const first = await list('');
    expect(first.bins).toHaveLength(100);
    expect(first.next).toMatch(/^\d+\.[A-Za-z0-9_-]+$/);
    const pages = await everyPage('limit=70');
    expect(pages.map((p) => p.bins.length)).toEqual([70, 70, 70, 31]);
    expect(pages[3]!.next).toBeNull();
    const bins = pages.flatMap((p) => p.bins);
    expect(new Set(bins.map((b) => b.id)).size).toBe(241);
    expect(bins).toEqual([...bins].sort(listOrder));
    expect(bins.slice(0, 4).map((b) => b.id)).toEqual(['hook_3', 'Other-200', 'hook_17', 'hook_5']);
    expect(bins.find((b) => b.id === 'hook_17')!.requestCount).toBe(2);
    expect(first.bins).toEqual(bins.slice(0, 100));
  });

  it('finds bins by a part of their name, letter case aside, "_" and "%" taken literally', async () => {
    const ids = async (q: string) => (await everyPage(`limit=7&q=${encodeURIComponent(q)}`)).flatMap((p) => p.bins.map((b) => b.id));
    const hook1 = await ids('_1');
    expect(hook1).toContain('hook_1');
    expect(hook1).toContain('hook_199');
    expect(hook1).not.toContain('hookx1');
    expect(hook1).toHaveLength(1 + 5 + 50);
    expect((await ids('OTHER-23')).sort()).toEqual(['Other-230', 'Other-232', 'Other-234', 'Other-236', 'Other-238']);
    expect(await ids('%')).toEqual([]);
    expect(await ids('  ')).toHaveLength(241);
  });

  it('refuses a bad limit, cursor or filter with a 400 that says what to send', async () => {
    for (const [query, code] of [
      ['limit=0', 'invalid_limit'],
      ['limit=1001', 'invalid_limit'],
      ['limit=ten', 'invalid_limit'],
      ['before=17', 'invalid_cursor'],
      ['before=abc.def', 'invalid_cursor'],
      ['before=17.a%20b', 'invalid_cursor'],
      [`q=${'x'.repeat(65)}`, 'invalid_query'],
    ]) {
      const response = await t.app.request(`/api/bins?${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as ApiError).error.code).toBe(code);
    }
  });

  it('reads a page through an index, with no sort, among 20,000 bins', async () => {
    const order = 'ORDER BY coalesce(last_request_at, created_at) DESC, id LIMIT 101';
    const after = 'WHERE coalesce(last_request_at, created_at) <= 5000 AND (coalesce(last_request_at, created_at) < 5000 OR id > \'m\')';
    let plans: string[];
    if (engine.name === 'sqlite') {
      const db = new Database(t.dbPath);
      try {
        db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
          INSERT INTO bins (id, created_at) SELECT 'many-' || i, i FROM n`);
        db.exec('ANALYZE');
        const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
        plans = [plan(`SELECT * FROM bins ${order}`), plan(`SELECT * FROM bins ${after} ${order}`)];
      } finally {
        db.close();
      }
      for (const plan of plans) {
        expect(plan).toContain('bins_by_activity');
        expect(plan).not.toContain('TEMP B-TREE');
      }
    } else {
      const client = new pg.Client({ connectionString: t.dbPath });
      await client.connect();
      try {
        await client.query(`INSERT INTO bins (id, created_at) SELECT 'many-' || i, i FROM generate_series(1, 20000) AS i; ANALYZE bins`);
        const plan = async (sql: string) => (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
        plans = [await plan(`SELECT * FROM bins ${order}`), await plan(`SELECT * FROM bins ${after} ${order}`)];
      } finally {
        await client.end();
      }
      for (const plan of plans) {
        expect(plan).toContain('bins_by_activity');
        expect(plan).not.toMatch(/\bSort\b/);
      }
    }
    const deep = await list('limit=1000&before=10000.many-10000');
    expect(deep.bins[0]!.id).toBe('many-9999');
  });
});
