import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bin, RequestDetail } from '../../shared/api.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

interface Received {
  method: string;
  url: string;
  rawHeaders: string[];
  body: Buffer;
}

let t: TestApp | undefined;
let target: Server | undefined;
afterEach(async () => {
  await t?.close();
  await new Promise((resolve) => (target ? target.close(resolve) : resolve(undefined)));
  t = target = undefined;
});

/** A plain receiver on loopback that records what reaches it and answers 202. */
async function startTarget(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  target = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) });
      res.writeHead(202).end('accepted');
    });
  });
  await new Promise<void>((resolve) => target!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(target.address() as AddressInfo).port}/webhook`, received };
}

const patch = (base: string, bin: string, body: unknown) =>
  fetch(`${base}/api/bins/${bin}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function forwardOf(base: string, id: string): Promise<RequestDetail['forward']> {
  for (let i = 0; i < 100; i++) {
    const detail = (await (await fetch(`${base}/api/requests/${id}`)).json()) as RequestDetail;
    if (detail.forward) return detail.forward;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the relay was never recorded');
}

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
    const forward = await forwardOf(base, id);
    expect(forward).toMatchObject({ target: url, status: 202, error: null });
    expect(forward!.durationMs).toBeGreaterThanOrEqual(0);

    expect(received).toHaveLength(1);
    const [arrived] = received;
    expect(arrived).toMatchObject({ method: 'POST', url: '/webhook/zendesk?x=1' });
    expect(arrived!.body.toString()).toBe(body);
    const header = (name: string) => arrived!.rawHeaders[arrived!.rawHeaders.findIndex((h) => h.toLowerCase() === name) + 1];
    expect(header('host')).toBe(new URL(url).host);
    expect(createHmac('sha256', secret).update(header('x-zendesk-webhook-signature-timestamp')! + arrived!.body.toString()).digest('base64')).toBe(header('x-zendesk-webhook-signature'));
  });

  it('records why a relay failed: a target that refuses, or one outside AUTHBIN_REPLAY_ALLOW', async () => {
    const { url } = await startTarget();
    const port = new URL(url).port;
    t = makeTestApp({ AUTHBIN_REPLAY_ALLOW: `127.0.0.1:${port}` });
    const base = await t.listen();

    await fetch(`${base}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'refused', forwardTo: `http://127.0.0.1:${port}/x` }) });
    await new Promise<void>((resolve) => target!.close(() => resolve()));
    target = undefined;
    const refused = (await (await fetch(`${base}/b/refused`, { method: 'POST' })).json()) as { id: string };
    expect(await forwardOf(base, refused.id)).toMatchObject({ status: null, error: expect.stringMatching(/refused/) });

    await fetch(`${base}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'fenced', forwardTo: 'http://127.0.0.1:1/elsewhere' }) });
    const fenced = (await (await fetch(`${base}/b/fenced`, { method: 'POST' })).json()) as { id: string };
    expect(await forwardOf(base, fenced.id)).toMatchObject({ status: null, error: expect.stringMatching(/not allowed|AUTHBIN_REPLAY_ALLOW/i) });
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
