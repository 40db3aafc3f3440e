import { afterEach, describe, expect, it } from 'vitest';
import type { ApiError, Bin, BinList } from '../../shared/api.ts';
import { openTestStore, startTestApp, testEngines, type TestApp } from '../helpers/app.ts';

const json = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

describe.each(testEngines())('the bin limit on $name', (engine) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const binIds = async () => ((await (await t!.app.request('/api/bins?limit=1000')).json()) as BinList).bins.map((b) => b.id).sort();

  it('refuses a capture to a new bin past the limit, stores nothing, and leaves existing bins and the API alone', async () => {
    t = await startTestApp(engine, { AUTHBIN_MAX_BINS: '3' });
    const { app } = t;
    for (const bin of ['a', 'b', 'c']) expect((await app.request(`/b/${bin}`, { method: 'POST', body: 'x' })).status).toBe(200);

    const refused = await app.request('/b/d/hook', { method: 'POST', body: 'x' });
    expect(refused.status).toBe(404);
    const { error } = (await refused.json()) as ApiError;
    expect(error.code).toBe('bin_limit');
    expect(error.message).toContain('limit of 3 bins');
    expect(error.message).toMatch(/--max-bins.*AUTHBIN_MAX_BINS/);
    expect(error.message).toMatch(/existing bins work/);
    expect(error.message).toContain('POST /api/bins');
    expect(await binIds()).toEqual(['a', 'b', 'c']);
    expect((await app.request('/api/bins/d')).status).toBe(404);

    expect((await app.request('/b/a', { method: 'POST', body: 'y' })).status).toBe(200);
    expect(((await (await app.request('/api/bins/a')).json()) as Bin).requestCount).toBe(2);

    expect((await app.request('/api/bins', json({ id: 'd' }))).status).toBe(201);
    expect((await app.request('/b/d', { method: 'POST', body: 'x' })).status).toBe(200);

    // Deleting a bin makes room for a capture to create one again.
    expect((await app.request('/api/bins/a', { method: 'DELETE' })).status).toBe(204);
    expect((await app.request('/b/d2')).status).toBe(404);
    expect((await app.request('/api/bins/b', { method: 'DELETE' })).status).toBe(204);
    expect((await app.request('/b/e')).status).toBe(200);
    expect(await binIds()).toEqual(['c', 'd', 'e']);
  });

  it('lets exactly the limit through when captures to 50 new bins race on a real listener', async () => {
    t = await startTestApp(engine, { AUTHBIN_MAX_BINS: '10' });
    const base = await t.listen();
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => fetch(`${base}/b/race-${i}`, { method: 'POST', body: `request ${i}` }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 404)).toHaveLength(40);
    const bins = ((await (await fetch(`${base}/api/bins`)).json()) as BinList).bins;
    expect(bins).toHaveLength(10);
    expect(bins.every((b) => b.requestCount === 1)).toBe(true);
  });

  it('counts the bins a database holds already when it opens', async () => {
    const { db, drop } = await engine.createDatabase();
    let store = await openTestStore(db);
    for (const id of ['x', 'y']) await store.createBin(id, null);
    await store.close();
    store = await openTestStore(db);
    try {
      expect(await store.admitBin('z', 2)).toBe(false);
      expect(await store.admitBin('x', 2)).toBe(true);
      expect(await store.admitBin('z', 3)).toBe(true);
      expect(await store.admitBin('w', 3)).toBe(false);
    } finally {
      await store.close();
      await drop();
    }
  });
});
