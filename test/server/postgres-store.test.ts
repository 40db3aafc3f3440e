import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { schemaVersion } from '../../server/store/postgres/schema.ts';
import { lockKeys } from '../../server/store/postgres/transaction.ts';
import type { Store, StoredRequest } from '../../server/store/store.ts';
import { openTestStore, testEngines, type TestEngine } from '../helpers/app.ts';
import { captured } from '../helpers/captured.ts';

const postgres = testEngines().find((engine): engine is TestEngine => engine.name === 'postgres');

const until = (condition: () => boolean, what: string) => vi.waitFor(() => expect(condition(), what).toBe(true), { timeout: 3000, interval: 10 });

/** Everything a store's capture listeners were called with, in order. */
function recordLive(store: Store): string[] {
  const ids: string[] = [];
  store.onCapture((request: StoredRequest) => ids.push(request.id));
  return ids;
}

describe.runIf(postgres)('PostgresStore', () => {
  let db: string;
  let drop: () => Promise<void>;
  let admin: pg.Client;
  const stores: Store[] = [];
  const open = async (options: { maxDbBytes?: number } = {}) => {
    const store = await openTestStore(db, options);
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    ({ db, drop } = await postgres!.createDatabase());
    admin = new pg.Client({ connectionString: db });
    await admin.connect();
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await admin.end();
    await drop();
  });

  it('migrates once, under a lock, when two instances start together, and records it in schema_migrations', async () => {
    await Promise.all([open(), open()]);
    const { rows } = await admin.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: schemaVersion }, (_, i) => i + 1));
  });

  it('refuses a database from a newer authbin', async () => {
    await (await open()).close();
    stores.length = 0;
    await admin.query('INSERT INTO schema_migrations (version) VALUES ($1)', [schemaVersion + 1]);
    await expect(open()).rejects.toThrow(/newer than this authbin/);
  });

  it('refuses a database that is not UTF8', async () => {
    const name = `${new URL(db).pathname.slice(1)}_latin1`;
    await admin.query(`CREATE DATABASE ${name} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`);
    try {
      const url = new URL(db);
      url.pathname = `/${name}`;
      await expect(openTestStore(url.toString())).rejects.toThrow(/encoding is LATIN1; authbin needs a UTF8 database/);
    } finally {
      await admin.query(`DROP DATABASE ${name}`);
    }
  });

  it("delivers every capture to every instance's listeners once, in id order, its own included", async () => {
    const [a, b] = await Promise.all([open(), open()]);
    const seenByA = recordLive(a);
    const seenByB = recordLive(b);
    const stored = (
      await Promise.all([
        ...Array.from({ length: 300 }, (_, i) => a.capture(captured(`bin${i % 4}`))),
        ...Array.from({ length: 300 }, (_, i) => b.capture(captured(`bin${i % 4}`))),
      ])
    ).map((r) => r.id);
    // Events come in id order: once both saw a capture made after all of these, none of these is still on its way.
    const fence = await a.capture(captured('fence'));
    const all = [...stored].sort((x, y) => Number(x) - Number(y));
    await until(() => seenByA.includes(fence.id) && seenByB.includes(fence.id), 'both instances saw the capture after the 600');
    expect(seenByA).toEqual([...all, fence.id]);
    expect(seenByB).toEqual([...all, fence.id]);
  });

  it('reconnects a lost LISTEN connection and replays what it missed, once each', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    const seenByB = recordLive(b);
    const first = await a.capture(captured('gap'));
    await until(() => seenByB.length === 1, 'B saw the first capture');

    const { rowCount } = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'authbin-live' AND datname = current_database()",
    );
    expect(rowCount).toBe(2);
    const duringGap: string[] = [];
    for (let i = 0; i < 5; i++) duringGap.push((await a.capture(captured('gap'))).id);
    await until(() => seenByB.length >= 6, 'B caught up');
    const after = await a.capture(captured('gap'));
    const fence = await a.capture(captured('fence'));
    await until(() => seenByB.includes(fence.id), 'B saw the captures after the gap');
    expect(seenByB).toEqual([first.id, ...duringGap, after.id, fence.id]);
  });

  it('announces no live event for imported requests', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    const seenByA = recordLive(a);
    const seenByB = recordLive(b);
    await a.importRequests([captured('imported'), captured('imported')]);
    // Events come in id order: once both saw a capture made after the import, no event for it is still on its way.
    const live = await a.capture(captured('live'));
    await until(() => seenByA.includes(live.id) && seenByB.includes(live.id), 'both saw the live capture');
    expect(seenByA).toEqual([live.id]);
    expect(seenByB).toEqual([live.id]);
  });

  it("answers captures with the bin's response as another instance last set it", async () => {
    const [a, b] = await Promise.all([open(), open()]);
    await a.capture(captured('shared'));
    expect(await a.binResponse('shared')).toBeNull();
    await b.updateBin('shared', { response: { status: 503, body: 'down for maintenance' } });
    await a.capture(captured('shared'));
    expect(await a.binResponse('shared')).toEqual({ status: 503, body: 'down for maintenance' });
  });

  it('keeps bin counts right while another instance deletes from the same bin', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    const first = await Promise.all(Array.from({ length: 50 }, () => a.capture(captured('busy'))));
    await Promise.all([
      ...first.slice(0, 20).map((r) => b.deleteRequest(r.id)),
      ...Array.from({ length: 50 }, () => a.capture(captured('busy'))),
    ]);
    expect((await b.getBin('busy'))!.requestCount).toBe(80);
    const { rows } = await admin.query<{ count: string }>("SELECT count(*) FROM requests WHERE bin = 'busy'");
    expect(Number(rows[0]!.count)).toBe(80);
  });

  it('enforces a size cap lowered since the last start once another instance stops deleting, with nothing captured', async () => {
    const before = await openTestStore(db);
    const body = Buffer.alloc(10 * 1024, 'c');
    const stored = await Promise.all(Array.from({ length: 300 }, () => before.capture(captured('before-cap', { body, bodySize: body.length }))));
    await before.close();

    // Another instance is deleting: it holds the lock every retention step tries first.
    await admin.query('SELECT pg_advisory_lock($1, $2)', [...lockKeys.retention]);
    const cap = 1024 * 1024;
    const store = await open({ maxDbBytes: cap });
    // Long enough for the eviction at start to find the lock taken (before, it then gave up until a mebibyte more was captured).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await store.getBin('before-cap'))!.requestCount).toBe(300);
    await admin.query('SELECT pg_advisory_unlock($1, $2)', [...lockKeys.retention]);

    await vi.waitFor(async () => expect(await postgres!.dataBytes(db)).toBeLessThanOrEqual(cap), { timeout: 10_000, interval: 20 });
    expect(await store.getRequest(stored.at(-1)!.id)).toBeDefined();
    expect(await store.getRequest(stored[0]!.id)).toBeUndefined();
  });
});
