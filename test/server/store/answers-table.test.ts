import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isPostgresUrl } from '../../../server/store/database-kind.ts';
import { migrate as migratePostgres, schemaVersion as postgresSchemaVersion } from '../../../server/store/postgres/schema.ts';
import { migrate as migrateSqlite, schemaVersion as sqliteSchemaVersion } from '../../../server/store/sqlite/migrations.ts';
import type { Store } from '../../../server/store/store.ts';
import { fetchDetail, openTestStore, startTestApp, testEngines } from '../../helpers/app.ts';
import { captured } from '../../helpers/captured.ts';

const options = { maxRequestsPerBin: 10_000, retentionDays: 7 };

/** Two answers as captures record them (a `RequestAnswer` as JSON); `long` is past what a PostgreSQL B-tree entry may hold. */
const teapot = '{"status":418,"rule":{"id":"r1","name":"teapot"},"reasons":["the method is \\"PUT\\" (\\\\x00 is not bytea)"]}';
const long = `{"status":401,"rule":{"id":"r2","name":"auth"},"reasons":[${JSON.stringify('x'.repeat(5000))}]}`;

/** Waits (up to 10 s: background work on a busy machine) until the condition holds. */
const until = (condition: () => Promise<boolean>) => vi.waitFor(async () => expect(await condition()).toBe(true), { timeout: 10_000, interval: 10 });

/** Runs `sql` on the database as another process would. */
async function query<T>(db: string, sql: string, params: unknown[] = []): Promise<T[]> {
  if (isPostgresUrl(db)) {
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      return (await client.query(sql.replace(/\?/g, (_, at: number) => `$${sql.slice(0, at).split('?').length}`), params)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const file = new Database(db);
  try {
    return sql.trimStart().startsWith('SELECT') ? (file.prepare(sql).all(...params) as T[]) : (file.prepare(sql).run(...params), []);
  } finally {
    file.close();
  }
}

/** The answers table: the texts each bin holds, in the order they were stored. */
const answersIn = async (db: string) => (await query<{ bin: string; text: string }>(db, 'SELECT bin, text FROM answers ORDER BY id')).map(({ bin, text }) => `${bin} ${text}`);

/** The answer of a stored request, read back through the store. */
const answerOf = async (store: Store, id: string) => (await store.getRequest(id))?.answer;

describe.each(testEngines())('the answers table on $name', (engine) => {
  let db: string;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    ({ db, drop } = await engine.createDatabase());
  });
  afterEach(() => drop());

  const open = (overrides: Partial<typeof options> = {}) => openTestStore(db, { ...options, ...overrides });

  it('stores each distinct answer of a bin once, requests referring to it, and reads every request back with its answer', async () => {
    const store = await open();
    const stored = await Promise.all([
      ...Array.from({ length: 30 }, () => store.capture(captured('one', { storedAnswer: teapot }))),
      ...Array.from({ length: 10 }, () => store.capture(captured('one', { storedAnswer: long }))),
      ...Array.from({ length: 5 }, () => store.capture(captured('two', { storedAnswer: teapot }))),
      store.capture(captured('two')),
    ]);
    expect((await answersIn(db)).sort()).toEqual([`one ${long}`, `one ${teapot}`, `two ${teapot}`]);
    expect(await query(db, 'SELECT id FROM requests WHERE answer IS NOT NULL')).toEqual([]);
    for (const [at, request] of stored.entries()) {
      expect(await answerOf(store, request.id)).toEqual(at < 30 || (at >= 40 && at < 45) ? JSON.parse(teapot) : at < 40 ? JSON.parse(long) : null);
    }
    const page = await store.listRequests('one', { limit: 50 });
    expect(page.requests.map((r) => r.answer)).toEqual([...Array(10).fill(JSON.parse(long)), ...Array(30).fill(JSON.parse(teapot))]);
    await store.close();
  });

  it('keeps an answer while a request of its bin refers to it, and deletes it with the last one that does', async () => {
    let store = await open({ maxRequestsPerBin: 5 });
    const first = await store.capture(captured('capped', { storedAnswer: teapot }));
    for (let i = 0; i < 6; i++) await store.capture(captured('capped', { storedAnswer: long }));
    const last = await store.capture(captured('capped', { storedAnswer: teapot }));
    await until(async () => (await store.getBin('capped'))!.requestCount === 5);
    // Its first request went with retention; its last still refers to it.
    expect(await store.getRequest(first.id)).toBeUndefined();
    expect(await answerOf(store, last.id)).toEqual(JSON.parse(teapot));
    expect((await answersIn(db)).sort()).toEqual([`capped ${long}`, `capped ${teapot}`]);

    for (let i = 0; i < 5; i++) await store.capture(captured('capped', { storedAnswer: long }));
    await until(async () => (await store.getRequest(last.id)) === undefined && (await store.getBin('capped'))!.requestCount === 5);
    await until(async () => (await answersIn(db)).length === 1);
    expect(await answersIn(db)).toEqual([`capped ${long}`]);
    // The answer stored again once it was deleted, and read back: no id of the deleted row kept.
    const again = await store.capture(captured('capped', { storedAnswer: teapot }));
    expect(await answerOf(store, again.id)).toEqual(JSON.parse(teapot));
    await store.close();

    // Read the same after a restart, which kept no id in memory.
    store = await open({ maxRequestsPerBin: 5 });
    expect(await answerOf(store, again.id)).toEqual(JSON.parse(teapot));
    await store.close();
  });

  it('keeps the answers of the requests a restart kept, through the retention that follows it', async () => {
    let store = await open();
    await store.capture(captured('restarted', { storedAnswer: teapot }));
    const kept = [];
    for (let i = 0; i < 3; i++) kept.push(await store.capture(captured('restarted', { storedAnswer: long })));
    await store.close();

    store = await open({ maxRequestsPerBin: 3 });
    await until(async () => (await store.getBin('restarted'))!.requestCount === 3);
    for (const request of kept) expect(await answerOf(store, request.id)).toEqual(JSON.parse(long));
    expect(await answersIn(db)).toContain(`restarted ${long}`);
    await store.close();
  });

  it("deletes a bin's answers with the bin, and those of a bin cleared, and stores them again when it captures again", async () => {
    const store = await open();
    await store.capture(captured('gone', { storedAnswer: teapot }));
    await store.capture(captured('cleared', { storedAnswer: long }));
    await store.capture(captured('kept', { storedAnswer: teapot }));
    expect(await store.deleteBin('gone')).toBe(true);
    await store.clearBin('cleared');
    expect(await answersIn(db)).toEqual([`kept ${teapot}`]);

    const recreated = await store.capture(captured('gone', { storedAnswer: teapot }));
    const refilled = await store.capture(captured('cleared', { storedAnswer: long }));
    expect(await answerOf(store, recreated.id)).toEqual(JSON.parse(teapot));
    expect(await answerOf(store, refilled.id)).toEqual(JSON.parse(long));
    expect((await answersIn(db)).sort()).toEqual([`cleared ${long}`, `gone ${teapot}`, `kept ${teapot}`]);
    await store.close();
  });

  it.runIf(engine.name === 'postgres')('stores an answer again when another instance deleted the one this instance kept the id of', async () => {
    const [a, b] = [await open(), await open()];
    await a.capture(captured('shared', { storedAnswer: teapot }));
    await b.clearBin('shared');
    expect(await answersIn(db)).toEqual([]);
    const again = await a.capture(captured('shared', { storedAnswer: teapot }));
    expect(await answerOf(b, again.id)).toEqual(JSON.parse(teapot));
    await b.deleteBin('shared');
    const recreated = await a.capture(captured('shared', { storedAnswer: teapot }));
    expect(await answerOf(b, recreated.id)).toEqual(JSON.parse(teapot));
    expect(await answersIn(db)).toEqual([`shared ${teapot}`]);
    await Promise.all([a.close(), b.close()]);
  });

  it('reads the answers an older authbin wrote into each request, as it wrote them, beside those stored now', async () => {
    if (isPostgresUrl(db)) {
      const client = new pg.Client({ connectionString: db });
      await client.connect();
      await migratePostgres(client, postgresSchemaVersion - 1);
      await client.query("INSERT INTO bins (id, created_at, request_count) VALUES ('old', 1, 1)");
      await client.query(
        `INSERT INTO requests (bin, received_at, method, path, query, http_version, headers, body, body_size, truncated, answer, answer_recorded, search)
         VALUES ('old', $1, 'PUT', '/x', '', '1.1', '[["Host","h"]]', '\\x6869', 2, false, $2, true, ''::tsvector)`,
        [Date.now(), teapot],
      );
      await client.end();
    } else {
      const file = new Database(db);
      migrateSqlite(file, sqliteSchemaVersion - 1);
      file.prepare("INSERT INTO bins (id, created_at, request_count) VALUES ('old', 1, 1)").run();
      file.prepare(`INSERT INTO requests (bin, received_at, method, path, query, http_version, headers, body, body_size, truncated, answer, answer_recorded)
        VALUES ('old', ?, 'PUT', '/x', '', '1.1', '[["Host","h"]]', X'6869', 2, 0, ?, 1)`).run(Date.now(), teapot);
      file.close();
    }
    const [{ id: oldId }] = (await query<{ id: string | number }>(db, 'SELECT id FROM requests')) as [{ id: string | number }];

    const store = await open();
    const now = await store.capture(captured('old', { storedAnswer: teapot }));
    expect(await answerOf(store, String(oldId))).toEqual(JSON.parse(teapot));
    expect(await answerOf(store, now.id)).toEqual(JSON.parse(teapot));
    expect((await store.listRequests('old', { limit: 5 })).requests.map((r) => r.answer)).toEqual([JSON.parse(teapot), JSON.parse(teapot)]);
    // Retention's sweep leaves the old request's answer, which is its own, and the new one's, which it uses.
    await store.deleteRequest(now.id);
    expect(await answerOf(store, String(oldId))).toEqual(JSON.parse(teapot));
    await store.close();
  });

  it('carries the answers through an export and an import, which stores them again for the bin it fills', async () => {
    const t = await startTestApp(engine);
    const base = await t.listen();
    const put = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put('/api/bins/from/rules', { rules: [{ name: 'teapot', when: [{ method: 'PUT' }], respond: { status: 418 } }] })).status).toBe(200);
    for (const method of ['PUT', 'POST', 'PUT']) expect((await fetch(`${base}/b/from/x`, { method })).status).toBe(method === 'PUT' ? 418 : 200);
    const exported = await (await fetch(`${base}/api/bins/from/export?format=ndjson`)).text();
    expect((await fetch(`${base}/api/bins/to/import`, { method: 'POST', body: exported })).status).toBe(201);

    const details = async (bin: string) => {
      const { requests } = (await (await fetch(`${base}/api/bins/${bin}/requests?limit=10`)).json()) as { requests: { id: string }[] };
      return Promise.all(requests.map(async ({ id }) => (await fetchDetail(base, id)).answer));
    };
    const answers = await details('from');
    expect(answers.map((answer) => answer?.status)).toEqual([418, 200, 418]);
    expect(await details('to')).toEqual(answers);
    // The same file but for the bin's name and the requests' new ids.
    const withoutIds = (ndjson: string) => ndjson.replaceAll(/"id":"\d+",/g, '');
    expect(withoutIds(await (await fetch(`${base}/api/bins/to/export?format=ndjson`)).text())).toBe(withoutIds(exported.replaceAll('"bin":"from"', '"bin":"to"')));
    const stored = await query<{ bin: string }>(t.dbPath, 'SELECT bin FROM answers');
    expect(stored.filter((row) => row.bin === 'to')).toHaveLength(stored.filter((row) => row.bin === 'from').length);
    await t.close();
  });
});
