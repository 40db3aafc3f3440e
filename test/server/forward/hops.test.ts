import { afterEach, describe, expect, it } from 'vitest';
import type { RequestDetail, RequestPage } from '../../../shared/api.ts';
import { forwardHops, withHops } from '../../../server/forward/hops.ts';
import { fetchDetail, makeTestApp, type TestApp } from '../../helpers/app.ts';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function listen(): Promise<string> {
  const app = makeTestApp();
  apps.push(app);
  return app.listen();
}

const json = { 'content-type': 'application/json' };

async function stored(base: string, bin: string): Promise<RequestDetail[]> {
  const page = (await (await fetch(`${base}/api/bins/${bin}/requests?limit=500`)).json()) as RequestPage;
  return Promise.all(page.requests.map(({ id }) => fetchDetail(base, id)));
}

const count = async (base: string, bin: string) => ((await (await fetch(`${base}/api/bins/${bin}/requests?limit=500`)).json()) as RequestPage).requests.length;
const hopsOf = (detail: RequestDetail) => forwardHops(detail.headers);

describe('Authbin-Forward-Hops', () => {
  it.each([
    [[], 0],
    [[['Authbin-Forward-Hops', '3']], 3],
    [[['authbin-forward-hops', '1, 4'], ['AUTHBIN-FORWARD-HOPS', '2']], 4],
    [[['Authbin-Forward-Hops', 'many'], ['Authbin-Forward-Hops', '-2']], 0],
  ] as [[string, string][], number][])('reads %j as %i', (headers, hops) => {
    expect(forwardHops(headers)).toBe(hops);
  });

  it('replaces the count a request came with', () => {
    expect(withHops([['authbin-forward-hops', '1'], ['X-A', 'a'], ['Authbin-Forward-Hops', '2']], 3)).toEqual([['X-A', 'a'], ['Authbin-Forward-Hops', '3']]);
  });

  it('ends a loop between two instances: one capture is stored a bounded number of times', async () => {
    const [a, b] = [await listen(), await listen()];
    expect((await fetch(`${a}/api/bins`, { method: 'POST', headers: json, body: JSON.stringify({ id: 'ping', forwardTo: `${b}/b/pong` }) })).status).toBe(201);
    expect((await fetch(`${b}/api/bins`, { method: 'POST', headers: json, body: JSON.stringify({ id: 'pong', forwardTo: `${a}/b/ping` }) })).status).toBe(201);

    expect((await fetch(`${a}/b/ping/hook`, { method: 'POST', body: 'once' })).status).toBe(200);
    // A stores hops 0, 2, 4 and B 1, 3, 5; B does not relay the one that came with 5 (without the limit it never stops).
    const counts = async () => ({ atA: await count(a, 'ping'), atB: await count(b, 'pong') });
    await expect.poll(counts, { timeout: 5000 }).toEqual({ atA: 3, atB: 3 });
    const [atA, atB] = [await stored(a, 'ping'), await stored(b, 'pong')];
    const last = atB.find((detail) => hopsOf(detail) === 5);
    expect(atA.map(hopsOf).sort()).toEqual([0, 2, 4]);
    expect(atB.map(hopsOf).sort()).toEqual([1, 3, 5]);
    expect(atB.every((detail) => detail.path === '/hook' && detail.body.text === 'once')).toBe(true);
    await expect.poll(async () => (await fetchDetail(b, last!.id)).forward).toMatchObject({ status: null, error: expect.stringMatching(/^not relayed: it came with Authbin-Forward-Hops: 5/) });
    const fourth = atA.find((detail) => hopsOf(detail) === 4)!;
    await expect.poll(async () => (await fetchDetail(a, fourth.id)).forward).toMatchObject({ status: 200, error: null });
    // The last was not relayed, so nothing more can arrive.
    expect(await counts()).toEqual({ atA: 3, atB: 3 });
  });
});
