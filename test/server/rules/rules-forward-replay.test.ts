import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReplayResult } from '../../../shared/api.ts';
import { zendeskApiPreset } from '../../../shared/rules/presets.ts';
import type { RulesResponse } from '../../../shared/rules/types.ts';
import { recordedForward, startTestApp, testEngines, type TestApp } from '../../helpers/app.ts';
import { startRecordingServer, type RecordingServer } from '../../helpers/recording-server.ts';

const email = 'me@example.com';
const token = 'forward-token-31ZkPq';
const json = (body: unknown, method = 'PUT'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const basic = (secret: string) => `Basic ${Buffer.from(`${email}/token:${secret}`).toString('base64')}`;

describe.each(testEngines())('rules change only the answer to the sender: forwarding and replay on $name', (engine) => {
  let t: TestApp;
  let base: string;
  let target: RecordingServer;
  beforeEach(async () => {
    // The target answers 202 with its own body: none of it reaches the sender, whom the rules answer.
    target = await startRecordingServer((response) => response.writeHead(202, { 'X-Target': 'yes' }).end('from the target'));
    t = await startTestApp(engine, engine.name === 'postgres' ? { AUTHBIN_SECRET_KEY: 'a-key-every-instance-shares-0123456789' } : {});
    base = await t.listen();
    expect((await fetch(`${base}/api/bins`, json({ id: 'relayed', forwardTo: `${target.url}/hook` }, 'POST'))).status).toBe(201);
    expect((await fetch(`${base}/api/bins/relayed/rules`, json({ rules: zendeskApiPreset({ kind: 'api-token', email, token }) }))).status).toBe(200);
  });
  afterEach(async () => {
    await t.close();
    await target.close();
  });

  const counts = async () => ((await (await fetch(`${base}/api/bins/relayed/rules`)).json()) as RulesResponse).rules.map((rule) => rule.answered);
  const headerOf = (headers: [string, string][], name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1];

  it('relays the request as sent, whatever the rule answered the sender', async () => {
    const body = '{"ticket":{"id":7}}';
    const sent = [
      { authorization: basic(`${token}\n`), status: 401 },
      { authorization: basic(token), status: 200 },
    ];
    for (const [index, { authorization, status }] of sent.entries()) {
      const answer = await fetch(`${base}/b/relayed/api/v2/users/me.json?page=${index}`, { method: 'POST', body, headers: { Authorization: authorization, 'Content-Type': 'application/json' } });
      expect(answer.status).toBe(status);
      expect(answer.headers.get('x-target')).toBeNull();
      expect(await answer.text()).not.toContain('from the target');
      const arrived = await target.next();
      expect(arrived).toMatchObject({ method: 'POST', url: `/hook/api/v2/users/me.json?page=${index}` });
      expect(headerOf(arrived.headers, 'authorization')).toBe(authorization);
      expect(arrived.body.toString()).toBe(body);
      const { id } = (await t.store.listRequests('relayed', { limit: 1 })).requests[0]!;
      expect(await recordedForward(base, id)).toMatchObject({ status: 202, error: null });
    }
    expect(await counts()).toEqual([1, 1]);
  });

  it('replays a capture the rules answered 401 as it was sent, and the counters do not move', async () => {
    const answer = await fetch(`${base}/b/relayed/x`, { method: 'PUT', body: 'payload', headers: { Authorization: basic('wrong') } });
    expect(answer.status).toBe(401);
    await target.next();
    const { id } = (await t.store.listRequests('relayed', { limit: 1 })).requests[0]!;
    const replayed = await fetch(`${base}/api/requests/${id}/replay`, json({ url: `${target.url}/again` }, 'POST'));
    expect(replayed.status).toBe(200);
    expect(((await replayed.json()) as ReplayResult).status).toBe(202);
    const arrived = await target.next();
    expect(arrived).toMatchObject({ method: 'PUT', url: '/again' });
    expect(headerOf(arrived.headers, 'authorization')).toBe(basic('wrong'));
    expect(arrived.body.toString()).toBe('payload');
    expect(await counts()).toEqual([1, 0]);
  });
});
