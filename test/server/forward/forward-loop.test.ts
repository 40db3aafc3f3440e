import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { isOwnAddress } from '../../../server/forward/forward-loop.ts';
import { makeTestApp, recordedForward, type TestApp } from '../../helpers/app.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const json = { 'content-type': 'application/json' };
const create = (base: string, body: unknown) => fetch(`${base}/api/bins`, { method: 'POST', headers: json, body: JSON.stringify(body) });
const patch = (base: string, bin: string, body: unknown) => fetch(`${base}/api/bins/${bin}`, { method: 'PATCH', headers: json, body: JSON.stringify(body) });
const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

describe('a forwardTo back into this authbin', () => {
  // Every way of writing "this host": all resolve to an address the server (on 127.0.0.1) can be reached at.
  const spellings = ['localhost', '127.0.0.1', '127.1', '0x7f.1', '2130706433', '127.0.0.2', '[::1]', '[::ffff:127.0.0.1]', '0.0.0.0', '[::]'];

  it.each(spellings)('is refused at %s on create and on update, for any bin and for / or /b', async (host) => {
    t = makeTestApp();
    const base = await t.listen();
    const port = new URL(base).port;
    await fetch(`${base}/b/mine`, { method: 'POST' });
    for (const path of ['/b/mine', '/b/other/x', '/', '/b', '/hooks/../b/mine']) {
      const forwardTo = `http://${host}:${port}${path}`;
      const created = await create(base, { id: `new-${Math.random().toString(36).slice(2)}`, forwardTo });
      expect({ forwardTo, status: created.status }).toEqual({ forwardTo, status: 400 });
      expect((await errorOf(created)).code).toBe('forward_loop');
      const updated = await patch(base, 'mine', { forwardTo });
      expect({ forwardTo, status: updated.status }).toEqual({ forwardTo, status: 400 });
      const error = await errorOf(updated);
      expect(error.code).toBe('forward_loop');
      expect(error.message).toMatch(/leads back into this authbin/);
    }
    // None of the refused bins was created.
    expect(((await (await fetch(`${base}/api/bins`)).json()) as { bins: unknown[] }).bins).toHaveLength(1);
  });

  it('is allowed elsewhere: another port, or a path of this server that no capture is stored under', async () => {
    t = makeTestApp();
    const base = await t.listen();
    const port = Number(new URL(base).port);
    for (const forwardTo of [`http://localhost:${port === 65535 ? 1 : port + 1}/b/x`, `http://localhost:${port}/hooks`, `http://127.0.0.1:${port}/B/x`]) {
      const response = await create(base, { forwardTo });
      expect({ forwardTo, status: response.status }).toEqual({ forwardTo, status: 201 });
    }
  });

  it('is not relayed when it was stored before the check (or its name now resolves here)', async () => {
    t = makeTestApp();
    const base = await t.listen();
    await create(base, { id: 'old' });
    await t.store.updateBin('old', { forwardTo: `http://localhost:${new URL(base).port}/b/old` });
    const { id } = (await (await fetch(`${base}/b/old`, { method: 'POST', body: 'once' })).json()) as { id: string };
    expect(await recordedForward(base, id)).toMatchObject({ status: null, error: expect.stringMatching(/^not relayed: .*this authbin/) });
    // Recorded as not relayed: nothing was sent, so the bin still holds the one capture.
    expect(((await (await fetch(`${base}/api/bins/old/requests`)).json()) as { requests: unknown[] }).requests).toHaveLength(1);
  });

  it('is refused at any local interface address when the server listens on 0.0.0.0 or ::', async () => {
    const local = Object.values(networkInterfaces()).flat().find((entry) => entry && !entry.internal)?.address ?? '127.0.0.1';
    t = makeTestApp();
    // Judged without binding or sending anything: the app is only told where it listens.
    for (const listening of ['0.0.0.0', '::']) {
      const app = createApp({ store: t.store, config: t.config, listenAddress: () => ({ address: listening, family: 'IPv4', port: 8787 }) });
      const host = local.includes(':') ? `[${local}]` : local;
      const response = await app.request('/api/bins', { method: 'POST', headers: json, body: JSON.stringify({ forwardTo: `http://${host}:8787/b/x` }) });
      expect({ listening, local, status: response.status }).toEqual({ listening, local, status: 400 });
    }
  });
});

describe('isOwnAddress', () => {
  const interfaces = { lo: [{ address: '127.0.0.1' }, { address: '::1' }], eth0: [{ address: '192.0.2.2' }, { address: 'fd00::2' }, { address: 'fe80::1%eth0' }] };

  it.each([
    // [target address, listening on, reached?]
    ['127.0.0.1', '127.0.0.1', true],
    ['127.0.0.2', '127.0.0.1', true],
    ['::1', '127.0.0.1', true],
    ['::ffff:127.0.0.1', '127.0.0.1', true],
    ['0.0.0.0', '127.0.0.1', true],
    ['192.0.2.2', '127.0.0.1', false],
    ['192.0.2.2', '0.0.0.0', true],
    ['fd00::2', '::', true],
    ['fe80::1', '::', true],
    ['::ffff:192.0.2.2', '::', true],
    ['127.9.9.9', '::', true],
    ['192.0.2.3', '0.0.0.0', false],
    ['192.0.2.2', '192.0.2.2', true],
    ['127.0.0.1', '192.0.2.2', false],
    ['192.0.2.3', '192.0.2.2', false],
  ])('%s reaches a server on %s: %s', (address, listening, expected) => {
    expect(isOwnAddress(address, listening, interfaces)).toBe(expected);
  });
});
