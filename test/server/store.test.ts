import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { answerOf } from '../../server/rules/answer-of.ts';
import { migrate, schemaVersion } from '../../server/store/sqlite/migrations.ts';
import { SqliteStore } from '../../server/store/sqlite/sqlite-store.ts';
import { openTestStore, testEngines } from '../helpers/app.ts';
import { captured } from '../helpers/captured.ts';

const options = { maxRequestsPerBin: 10_000, retentionDays: 7 };

/** Waits (up to 10 s: background work on a busy machine) until the condition holds. */
const until = (condition: () => Promise<boolean>) => vi.waitFor(async () => expect(await condition()).toBe(true), { timeout: 10_000, interval: 10 });

describe.each(testEngines())('the store on $name', (engine) => {
  let db: string;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    ({ db, drop } = await engine.createDatabase());
  });
  afterEach(() => drop());

  const open = (overrides: Partial<typeof options & { maxDbBytes: number }> = {}) => openTestStore(db, { ...options, ...overrides });

    it('keeps everything across a restart', async () => {
      let store = await open();
      const stored = await store.capture(captured('keep', { headers: [['X-A', '1'], ['x-a', '2']], body: Buffer.from([0, 255, 1]) }));
      await store.updateBin('keep', { response: { status: 201 } });
      await store.close();

      store = await open();
      const again = await store.getRequest(stored.id);
      expect(again).toMatchObject({ bin: 'keep', headers: [['X-A', '1'], ['x-a', '2']] });
      expect(Buffer.from(again!.body)).toEqual(Buffer.from([0, 255, 1]));
      expect(await store.binResponse('keep')).toEqual({ status: 201 });
      expect((await store.getBin('keep'))!.requestCount).toBe(1);
      await store.close();
    });

    it('commits a group of concurrent captures together and gives each its own increasing id', async () => {
      const store = await open();
      const stored = await Promise.all(Array.from({ length: 1500 }, (_, i) => store.capture(captured(`bin${i % 3}`))));
      const ids = stored.map((s) => Number(s.id));
      expect(new Set(ids).size).toBe(1500);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect((await store.listBins({ limit: 10 })).map((b) => b.requestCount)).toEqual([500, 500, 500]);
      await store.close();
    });

    it('keeps only the newest requests of a bin past the limit, in the background', async () => {
      const store = await open({ maxRequestsPerBin: 5 });
      const stored = [];
      for (let i = 0; i < 12; i++) stored.push(await store.capture(captured('capped')));
      await store.capture(captured('other'));
      await until(async () => (await store.getBin('capped'))!.requestCount === 5);
      const page = await store.listRequests('capped', { limit: 50 });
      expect(page.requests.map((r) => r.id)).toEqual(stored.slice(-5).map((s) => s.id).reverse());
      expect((await store.getBin('other'))!.requestCount).toBe(1);
      await store.close();
    });

    it('deletes requests older than the retention period', async () => {
      let store = await open();
      const old = Date.now() - 8 * 86_400_000;
      await store.capture(captured('aged', { receivedAt: old }));
      await store.capture(captured('aged', { receivedAt: old + 1000 }));
      const fresh = await store.capture(captured('aged'));
      await store.close();
      store = await open();
      await until(async () => (await store.getBin('aged'))!.requestCount === 1);
      expect((await store.listRequests('aged', { limit: 10 })).requests.map((r) => r.id)).toEqual([fresh.id]);
      await store.close();
    });

    it('evicts the oldest requests past the size cap, so a flood cannot fill the disk', async () => {
      const cap = 2 * 1024 * 1024;
      const store = await open({ maxDbBytes: cap });
      const body = Buffer.alloc(10 * 1024, 'b');
      const stored = [];
      for (let round = 0; round < 20; round++) {
        stored.push(...(await Promise.all(Array.from({ length: 50 }, () => store.capture(captured('flood', { body, bodySize: body.length }))))));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      // Until eviction has brought the data under the cap. (A SQLite file does not shrink: its size is checked at the end.)
      await until(async () => (await store.getBin('flood'))!.requestCount < 250);
      const kept = (await store.getBin('flood'))!.requestCount;
      expect(kept).toBeGreaterThan(50);
      expect(kept).toBeLessThan(250);
      // The newest survive; the oldest went first.
      expect(await store.getRequest(stored[stored.length - 1]!.id)).toBeDefined();
      expect(await store.getRequest(stored[0]!.id)).toBeUndefined();
      await store.close();
      expect(await engine.dataBytes(db)).toBeLessThan(cap * 2);
    });

    it('enforces a size cap lowered since the data was stored, at the next start', async () => {
      let store = await open();
      const body = Buffer.alloc(10 * 1024, 'c');
      const stored = await Promise.all(Array.from({ length: 300 }, () => store.capture(captured('before-cap', { body, bodySize: body.length }))));
      await store.close();

      // No capture comes: the cap holds from the start all the same, all the way down (the bodies alone of more than 102 exceed it).
      const cap = 1024 * 1024;
      store = await open({ maxDbBytes: cap });
      await until(async () => (await store.getBin('before-cap'))!.requestCount <= Math.floor(cap / body.length));
      expect(await store.getRequest(stored.at(-1)!.id)).toBeDefined();
      expect(await store.getRequest(stored[0]!.id)).toBeUndefined();
      await store.close();
    });

  it('keeps imported text holding U+0000 exactly, and finds it', async () => {
    const store = await open();
    const odd = { path: '/a\u0000b', query: 'q=\u0000', httpVersion: '1.\u0000', remoteAddress: '\u0000', headers: [['X-Nul', 'zero\u0000byte'], ['Host', 'h']] as [string, string][] };
    const [imported] = await store.importRequests([captured('nul', odd)]);
    expect(await store.getRequest(imported!.id)).toMatchObject(odd);
    const found = await store.listRequests('nul', { limit: 5, filter: { header: { name: 'x-nul', value: 'zero\u0000' } } });
    expect(found.requests.map((r) => r.id)).toEqual([imported!.id]);
    await store.close();
  });
});

describe('SqliteStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'authbin-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a file that is not a SQLite database and leaves it untouched', () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'my precious notes, not a database\n'.repeat(100));
    expect(() => new SqliteStore(path, options)).toThrow(/not a database/);
    expect(readFileSync(path, 'utf8')).toBe('my precious notes, not a database\n'.repeat(100));
  });

  it('migrates with PRAGMA user_version and uses WAL', async () => {
    const path = join(dir, 'e.db');
    const store = new SqliteStore(path, options);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(schemaVersion);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('upgrades a database of the first release without losing its requests, and makes them searchable', async () => {
    const path = join(dir, 'v1.db');
    const v1 = new Database(path);
    migrate(v1, 1);
    v1.prepare('INSERT INTO bins (id, created_at, request_count) VALUES (?, ?, 1)').run('old', Date.now());
    v1.prepare(`INSERT INTO requests (bin, received_at, method, path, query, http_version, headers, body, body_size, truncated)
      VALUES ('old', ?, 'POST', '/legacy', '', '1.1', '[["Host","h"]]', X'6869', 2, 0)`).run(Date.now());
    v1.close();

    const store = new SqliteStore(path, options);
    await until(async () => (await store.listRequests('old', { limit: 5, filter: { q: 'legacy' } })).requests.length === 1);
    const [found] = (await store.listRequests('old', { limit: 5, filter: { q: 'legacy' } })).requests;
    expect(found).toMatchObject({ path: '/legacy', headers: [['Host', 'h']] });
    expect(Buffer.from(found!.body).toString()).toBe('hi');
    await store.close();
  });

  it('says the answer of a request an older authbin stored is not recorded, rather than guess it from the bin\'s response now', async () => {
    const path = join(dir, 'before-answers.db');
    const older = new Database(path);
    migrate(older, schemaVersion - 1);
    older.prepare("INSERT INTO bins (id, created_at, request_count, response) VALUES ('old', ?, 2, ?)").run(Date.now(), JSON.stringify({ status: 503 }));
    const insert = older.prepare(`INSERT INTO requests (bin, received_at, method, path, query, http_version, headers, body, body_size, truncated)
      VALUES ('old', ?, 'POST', '/x', '', '1.1', '[["Host","h"]]', X'6869', ?, ?)`);
    const plain = insert.run(Date.now(), 2, 0).lastInsertRowid;
    const truncated = insert.run(Date.now(), 4096, 1).lastInsertRowid;
    older.close();

    const store = new SqliteStore(path, options);
    expect(answerOf((await store.getRequest(String(plain)))!)).toEqual({ status: null, rule: null, reasons: ['answer not recorded (stored by an older authbin)'] });
    // A 413 is told by the request itself, whichever authbin stored it.
    expect(answerOf((await store.getRequest(String(truncated)))!)).toMatchObject({ status: 413, own: true });
    // A capture stored now records it: null then means the default.
    expect(answerOf(await store.capture(captured('old')))).toEqual({ status: 200, rule: null, reasons: [] });
    const reread = await store.listRequests('old', { limit: 1 });
    expect(answerOf(reread.requests[0]!)).toEqual({ status: 200, rule: null, reasons: [] });
    await store.close();
  });

  /** How many deletions wait to be taken out of the search index, read from the database as another process would. */
  const queuedDeletions = (path: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare('SELECT count(*) FROM unindex_queue').pluck().get() as number;
    } finally {
      db.close();
    }
  };

  /** The search index's progress and entries, read from its file as another process would. */
  const searchIndex = (path: string) => {
    const index = new Database(`${path}-search`, { readonly: true });
    try {
      return {
        upTo: index.prepare('SELECT indexed_up_to FROM search_progress').pluck().get() as number,
        entries: index.prepare('SELECT rowid FROM request_search ORDER BY rowid').pluck().all() as number[],
      };
    } finally {
      index.close();
    }
  };

  it('indexes new requests on its upkeep thread, in a search file beside the database, and takes deleted ones out', async () => {
    const path = join(dir, 'indexed.db');
    const store = new SqliteStore(path, options);
    const ids: number[] = [];
    for (const word of ['alpha', 'bravo', 'charlie']) ids.push(Number((await store.capture(captured('words', { path: `/${word}` }))).id));
    await until(async () => searchIndex(path).upTo === ids[2]);
    expect(searchIndex(path).entries).toEqual(ids);

    await store.deleteRequest(String(ids[1]));
    await until(async () => searchIndex(path).entries.length === 2);
    expect(searchIndex(path).entries).toEqual([ids[0], ids[2]]);
    expect((await store.listRequests('words', { limit: 5, filter: { q: 'bravo' } })).requests).toEqual([]);
    expect((await store.listRequests('words', { limit: 5, filter: { q: 'charlie' } })).requests.map((r) => Number(r.id))).toEqual([ids[2]]);

    // Once the queue of deletions has been emptied, later deletions are taken out all the same.
    await until(async () => queuedDeletions(path) === 0);
    await store.deleteRequest(String(ids[2]));
    await until(async () => searchIndex(path).entries.length === 1);
    expect(searchIndex(path).entries).toEqual([ids[0]]);
    await store.close();
  });

  it.runIf(process.platform === 'linux')('runs its upkeep thread at background priority, and capture at normal priority', async () => {
    const niceness = () =>
      readdirSync('/proc/self/task').map((tid) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
    // Relative to the niceness this test runs at (0 usually; 10 under `nice`).
    const own = Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[16]);
    const background = Math.min(19, own + 10);
    const before = niceness();
    const store = new SqliteStore(join(dir, 'nice.db'), options);
    await store.capture(captured('nice'));
    await until(async () => niceness().includes(background));
    expect(niceness().filter((n) => n === background).length).toBe(before.filter((n) => n === background).length + 1);
    expect(Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[16])).toBe(own);
    await store.close();
  });

  it('builds the search index again when its file is gone, broken, from another database or ahead of a restored one', async () => {
    const path = join(dir, 'main.db');
    const other = join(dir, 'other.db');
    let store = new SqliteStore(path, options);
    const first = Number((await store.capture(captured('b', { path: '/first' }))).id);
    await until(async () => searchIndex(path).upTo === first);
    await store.close();
    const backup = readFileSync(path);
    // Another database, its requests with the same ids as this one's but other words, all indexed.
    const otherStore = new SqliteStore(other, options);
    for (const word of ['xray', 'yankee']) await otherStore.capture(captured('b', { path: `/${word}` }));
    await until(async () => searchIndex(other).upTo === 2);
    await otherStore.close();

    const reopenAndIndex = async (lastId: number) => {
      store = new SqliteStore(path, options);
      await until(async () => searchIndex(path).upTo === lastId);
      expect(searchIndex(path).upTo).toBe(lastId);
      expect(searchIndex(path).entries.at(-1)).toBe(lastId);
    };

    rmSync(`${path}-search`);
    await reopenAndIndex(first);
    const second = Number((await store.capture(captured('b', { path: '/second' }))).id);
    await until(async () => searchIndex(path).upTo === second);
    await store.close();

    writeFileSync(`${path}-search`, 'not a database at all'.repeat(500));
    await reopenAndIndex(second);
    await store.close();

    writeFileSync(`${path}-search`, readFileSync(`${other}-search`));
    await reopenAndIndex(second);
    expect((await store.listRequests('b', { limit: 5, filter: { q: 'second' } })).requests.map((r) => Number(r.id))).toEqual([second]);
    expect((await store.listRequests('b', { limit: 5, filter: { q: 'yankee' } })).requests).toEqual([]);
    await store.close();

    // The backup holds only the first request; the index holds the second too.
    writeFileSync(path, backup);
    await reopenAndIndex(first);
    expect(searchIndex(path).entries).toEqual([first]);
    await store.close();
  });

  it('refuses a database from a newer authbin', async () => {
    const path = join(dir, 'future.db');
    const db = new Database(path);
    db.pragma(`user_version = ${schemaVersion + 1}`);
    db.close();
    expect(() => new SqliteStore(path, options)).toThrow(/newer than this authbin/);
  });
});
