import { afterEach, describe, expect, it } from 'vitest';
import { relayPath } from '../../../server/forward/relay-path.ts';
import { makeTestApp, recordedForward, type TestApp } from '../../helpers/app.ts';
import { sendRaw } from '../../helpers/raw-http.ts';
import { startRecordingServer, type RecordingServer } from '../../helpers/recording-server.ts';

let t: TestApp | undefined;
let target: RecordingServer | undefined;
afterEach(async () => {
  await t?.close();
  await target?.close();
  t = target = undefined;
});

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
    target = await startRecordingServer((res) => res.writeHead(201).end());
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
      expect(await recordedForward(base, id)).toMatchObject({ status: 201, error: null });
    }
    expect(target.received.map(({ url }) => url)).toEqual(['/hooks/admin?via=authbin', '/hooks/admin?via=authbin&x=../y', '/hooks/x?via=authbin', '/hooks/etc?via=authbin']);
  });
});
