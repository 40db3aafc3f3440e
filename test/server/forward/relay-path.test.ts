import { afterEach, describe, expect, it } from 'vitest';
import type { RequestDetail } from '../../../shared/api.ts';
import { relayPath } from '../../../server/forward/relay-path.ts';
import { makeTestApp, type TestApp } from '../../helpers/app.ts';
import { sendRaw } from '../../helpers/raw-http.ts';
import { startTarget } from '../replay/target-server.ts';

let t: TestApp | undefined;
let target: Awaited<ReturnType<typeof startTarget>> | undefined;
afterEach(async () => {
  await t?.close();
  await target?.close();
  t = target = undefined;
});

async function forwardOf(base: string, id: string): Promise<NonNullable<RequestDetail['forward']>> {
  for (let i = 0; i < 100; i++) {
    const detail = (await (await fetch(`${base}/api/requests/${id}`)).json()) as RequestDetail;
    if (detail.forward) return detail.forward;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the relay was never recorded');
}

describe('the path a capture is relayed to', () => {
  it.each([
    // [sub-path as captured after /b/fw, as relayed]
    ['/../admin', '/admin'],
    ['/%2e%2e/admin', '/admin'],
    ['/%2E./admin', '/admin'],
    ['/.%2e/admin', '/admin'],
    ['/a/../../x', '/x'],
    ['/..\\admin', '/admin'],
    ['/..%2Fadmin', '/admin'],
    ['/..;/admin', '/admin'],
    ['/a/./b/.', '/a/b/'],
    ['/a/..', '/'],
    ['/files/a%2Fb//c;v=1', '/files/a%2Fb//c;v=1'],
    ['/', '/'],
  ])('resolves %s to %s', (captured, relayed) => {
    expect(relayPath(captured)).toBe(relayed);
  });

  it('never climbs above the forwardTo path, and keeps the query as sent', async () => {
    target = await startTarget();
    t = makeTestApp();
    const base = await t.listen();
    const create = await fetch(`${base}/api/bins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'fw', forwardTo: `${target.url}/hooks?via=authbin` }),
    });
    expect(create.status).toBe(201);

    // fetch would resolve the dots itself: these go over a raw socket exactly as written. (A raw
    // backslash never gets this far: @hono/node-server answers 400.)
    const sent = ['/b/fw/../admin', '/b/fw/%2e%2e/admin?x=../y', '/b/fw/a/../../x', '/b/fw/..%5C..%5Cetc'];
    for (const path of sent) {
      const response = await sendRaw(base, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      expect(response.status).toBe(200);
      const { id } = JSON.parse(response.body) as { id: string };
      expect(await forwardOf(base, id)).toMatchObject({ status: 201, error: null });
    }
    expect(target.received.map(({ url }) => url)).toEqual(['/hooks/admin?via=authbin', '/hooks/admin?via=authbin&x=../y', '/hooks/x?via=authbin', '/hooks/etc?via=authbin']);
  });
});
