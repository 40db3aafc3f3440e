import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifySignatures, ZENDESK_TEST_SECRET } from '../../../shared/signatures/index.ts';
import { signatureInputOf, verifyOptions } from '../../../web/lib/signature-input.ts';
import { startHarness, type Harness } from '../harness.tsx';

let h: Harness;
beforeEach(() => {
  h = startHarness();
});
afterEach(() => h.close());

const TIMESTAMP = '2024-05-01T12:00:00Z';
const zendeskSignature = (secret: string, body: string) => createHmac('sha256', secret).update(TIMESTAMP + body).digest('base64');

/** The server's own verification of a stored request (POST /api/requests/{id}/verify). */
async function serverVerify(id: string, options: object) {
  const response = await h.server.app.request(`/api/requests/${id}/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(options) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { signatures: unknown }).signatures;
}

describe('verifying in the browser', () => {
  it('reaches the same verdict and findings as the server, for a right and a wrong secret', async () => {
    const body = '{"ticket": {"id": 35436}}';
    const id = await h.capture('/b/demo/zendesk?x=1', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Zendesk-Webhook-Signature': zendeskSignature(ZENDESK_TEST_SECRET, body), 'X-Zendesk-Webhook-Signature-Timestamp': TIMESTAMP },
      body,
    });
    const detail = await h.store.client.getRequest(id);
    for (const secret of [ZENDESK_TEST_SECRET, 'not-the-secret']) {
      const local = await verifySignatures(signatureInputOf(detail), verifyOptions({ secret }));
      expect(local).toEqual(await serverVerify(id, { secret }));
    }
    const [valid] = await verifySignatures(signatureInputOf(detail), verifyOptions({ secret: ZENDESK_TEST_SECRET }));
    expect(valid).toMatchObject({ scheme: 'zendesk', status: 'valid', timestamp: '2024-05-01T12:00:00.000Z' });
  });

  it('signs Twilio over the URL the server saw, and takes the URL the user gives instead', async () => {
    const token = 'twilio-auth-token-123';
    const calledUrl = 'https://public.example/b/demo/sms';
    const params = 'To=%2B15551234&Body=hi';
    const sorted = [...new URLSearchParams(params)].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => k + v).join('');
    const signature = createHmac('sha1', token).update(calledUrl + sorted).digest('base64');
    const id = await h.capture('/b/demo/sms', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature }, body: params });
    const input = signatureInputOf(await h.store.client.getRequest(id));

    const seen = await verifySignatures(input, verifyOptions({ secret: token }));
    expect(seen).toEqual(await serverVerify(id, { secret: token }));
    expect(seen[0]?.status).toBe('invalid');
    const given = await verifySignatures(input, verifyOptions({ secret: token, scheme: 'twilio', url: ` ${calledUrl} ` }));
    expect(given).toEqual(await serverVerify(id, { secret: token, scheme: 'twilio', url: calledUrl }));
    expect(given[0]?.status).toBe('valid');
  });
});
