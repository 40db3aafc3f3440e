import { createHmac } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestDetail, VerifyResult } from '../../shared/api.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = makeTestApp();
  base = await t.listen();
});
afterAll(() => t.close());

const secret = 'my-zendesk-signing-secret';
const body = '{"type":"zen:event-type:ticket.created","detail":{"id":"35436"}}';
const timestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
// Computed here with node:crypto, independently of the engine under test.
const signature = createHmac('sha256', secret).update(timestamp + body).digest('base64');

async function sendSigned(): Promise<string> {
  // curl runs as its own process (asynchronously: the server under test shares this event loop).
  const { stdout } = await promisify(execFile)('curl', [
    '-s', '-X', 'POST', `${base}/b/zendesk-signed/webhook`,
    '-H', 'Content-Type: application/json',
    '-H', `X-Zendesk-Webhook-Signature: ${signature}`,
    '-H', `X-Zendesk-Webhook-Signature-Timestamp: ${timestamp}`,
    '--data-binary', body,
  ]);
  return (JSON.parse(stdout) as { id: string }).id;
}

const verify = (id: string, payload: unknown) =>
  fetch(`${base}/api/requests/${id}/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });

describe('webhook signatures through the API', () => {
  it('detects the Zendesk signature on the stored request', async () => {
    const id = await sendSigned();
    const detail = (await (await fetch(`${base}/api/requests/${id}`)).json()) as RequestDetail;
    expect(detail.analysis.signatures).toEqual([expect.objectContaining({ scheme: 'zendesk', status: 'unverified', timestamp: expect.any(String) })]);
  });

  it('verifies a curl-sent, Zendesk-signed request with the right secret, and names the fault with a wrong one', async () => {
    const id = await sendSigned();
    const right = (await (await verify(id, { secret })).json()) as VerifyResult;
    expect(right.signatures).toEqual([expect.objectContaining({ scheme: 'zendesk', status: 'valid' })]);

    const wrong = (await (await verify(id, { secret: 'not-the-secret' })).json()) as VerifyResult;
    expect(wrong.signatures[0]).toMatchObject({ scheme: 'zendesk', status: 'invalid' });
    expect(wrong.signatures[0]!.findings.map((f) => f.code)).toContain('signature-mismatch');
    expect(JSON.stringify(wrong)).not.toContain('not-the-secret');
  });

  it('rejects a missing secret, an unknown scheme and a bad url', async () => {
    const id = await sendSigned();
    for (const payload of [{}, { secret: '' }, { secret: 's', scheme: 'paypal' }, { secret: 's', url: 'not a url' }]) {
      expect((await verify(id, payload)).status, JSON.stringify(payload)).toBe(400);
    }
    const unknown = (await (await verify(id, { secret: 's', scheme: 'paypal' })).json()) as { error: { code: string; message: string } };
    expect(unknown.error).toEqual({ code: 'invalid_scheme', message: 'unknown "scheme": use one of zendesk, github, stripe, slack, shopify, standard-webhooks, twilio, intercom' });
    expect((await verify('999999', { secret })).status).toBe(404);
  });
});
