import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bin } from '../../shared/api.ts';
import { makeTestApp, recordedForward, type TestApp } from '../helpers/app.ts';
import { headerOf, startRecordingServer, type RecordingServer } from '../helpers/recording-server.ts';

let t: TestApp | undefined;
let target: RecordingServer | undefined;
afterEach(async () => {
  await t?.close();
  await target?.close();
  t = target = undefined;
});

/** A plain receiver on loopback that records what reaches it and answers 202. */
async function startTarget(): Promise<{ url: string; received: RecordingServer['received'] }> {
  target = await startRecordingServer((res) => res.writeHead(202).end('accepted'));
  return { url: `${target.url}/webhook`, received: target.received };
}

const patch = (base: string, bin: string, body: unknown) =>
  fetch(`${base}/api/bins/${bin}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe("a bin's forwardTo", () => {
  it('relays each capture byte for byte, so its signature still verifies, and records the result', async () => {
    const { url, received } = await startTarget();
    t = makeTestApp();
    const base = await t.listen();
    await fetch(`${base}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'relay', forwardTo: url }) });
    expect(((await (await fetch(`${base}/api/bins/relay`)).json()) as Bin).forwardTo).toBe(url);

    const secret = 'relay-secret';
    const body = '{ "ticket": { "id": 7 },  "spaced": true }';
    const timestamp = '2026-11-29T01:00:00Z';
    const signature = createHmac('sha256', secret).update(timestamp + body).digest('base64');
    const response = await fetch(`${base}/b/relay/zendesk?x=1`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', 'X-Zendesk-Webhook-Signature': signature, 'X-Zendesk-Webhook-Signature-Timestamp': timestamp },
    });
    const { id } = (await response.json()) as { id: string };
    const forward = await recordedForward(base, id);
    expect(forward).toMatchObject({ target: url, status: 202, error: null });
    expect(forward!.durationMs).toBeGreaterThanOrEqual(0);

    expect(received).toHaveLength(1);
    const [arrived] = received;
    expect(arrived).toMatchObject({ method: 'POST', url: '/webhook/zendesk?x=1' });
    expect(arrived!.body.toString()).toBe(body);
    const header = (name: string) => headerOf(arrived!, name);
    expect(header('host')).toBe(new URL(url).host);
    expect(createHmac('sha256', secret).update(header('x-zendesk-webhook-signature-timestamp')! + arrived!.body.toString()).digest('base64')).toBe(header('x-zendesk-webhook-signature'));
  });

  it('records why a relay failed: a target that refuses, or one outside AUTHBIN_REPLAY_ALLOW', async () => {
    const { url } = await startTarget();
    const port = new URL(url).port;
    t = makeTestApp({ AUTHBIN_REPLAY_ALLOW: `127.0.0.1:${port}` });
    const base = await t.listen();

    await fetch(`${base}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'refused', forwardTo: `http://127.0.0.1:${port}/x` }) });
    await target!.close();
    target = undefined;
    const refused = (await (await fetch(`${base}/b/refused`, { method: 'POST' })).json()) as { id: string };
    expect(await recordedForward(base, refused.id)).toMatchObject({ status: null, error: expect.stringMatching(/refused/) });

    await fetch(`${base}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'fenced', forwardTo: 'http://127.0.0.1:1/elsewhere' }) });
    const fenced = (await (await fetch(`${base}/b/fenced`, { method: 'POST' })).json()) as { id: string };
    expect(await recordedForward(base, fenced.id)).toMatchObject({ status: null, error: expect.stringMatching(/not allowed|AUTHBIN_REPLAY_ALLOW/i) });
  });

  it('refuses a forwardTo that is not http(s), or that points back at the bin itself', async () => {
    t = makeTestApp();
    const base = await t.listen();
    await fetch(`${base}/b/self`, { method: 'POST' });
    expect((await patch(base, 'self', { forwardTo: 'ftp://127.0.0.1/x' })).status).toBe(400);
    const loop = await patch(base, 'self', { forwardTo: `${base}/b/self/again` });
    expect(loop.status).toBe(400);
    expect(((await loop.json()) as { error: { code: string } }).error.code).toBe('forward_loop');
    expect((await patch(base, 'self', { forwardTo: null })).status).toBe(200);
  });
});
