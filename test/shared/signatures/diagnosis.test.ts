/** When a signature fails, the near-miss that matches instead names the mistake. */
import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { ZENDESK_TEST_SECRET, detectSignatures, signRequest, verifySignatures, type SignatureReport } from '../../../shared/signatures/index.ts';
import { SAMPLE_BODIES, SAMPLE_SECRETS, nodeSignedRequest } from './node-senders.ts';

const codes = (report: SignatureReport | undefined) => report?.findings.map((finding) => finding.code) ?? [];
const messages = (report: SignatureReport | undefined) => report?.findings.map((finding) => finding.message).join('\n') ?? '';

describe('secrets', () => {
  test('Zendesk: a signature made with the base64-decoded secret is invalid and says so', async () => {
    const secret = SAMPLE_SECRETS.zendesk;
    const decoded = Buffer.from(secret, 'base64');
    const request = nodeSignedRequest('zendesk', { secret: decoded as unknown as string, body: SAMPLE_BODIES.zendesk });
    const [report] = await verifySignatures(request, { secret });
    expect(report?.status).toBe('invalid');
    expect(codes(report)).toContain('secret-decoded-by-mistake');
    expect(codes(report)).not.toContain('signature-mismatch');
  });

  test('Zendesk: a "Test webhook" request is signed with the test secret, not the webhook\'s', async () => {
    const request = nodeSignedRequest('zendesk', { secret: ZENDESK_TEST_SECRET, body: SAMPLE_BODIES.zendesk });
    const [withOwnSecret] = await verifySignatures(request, { secret: SAMPLE_SECRETS.zendesk });
    expect(withOwnSecret?.status).toBe('invalid');
    expect(codes(withOwnSecret)).toContain('signed-with-test-secret');
    const [withTestSecret] = await verifySignatures(request, { secret: ZENDESK_TEST_SECRET });
    expect(withTestSecret?.status).toBe('valid');
  });

  test('Standard Webhooks: a signature keyed by the secret\'s text needs decoding', async () => {
    const secret = SAMPLE_SECRETS['standard-webhooks'];
    const id = 'msg_1';
    const timestamp = '1714564800';
    const body = SAMPLE_BODIES['standard-webhooks'];
    const signature = createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('base64');
    const request = nodeSignedRequest('standard-webhooks', { secret, body, id, timestamp });
    request.headers = request.headers.map(([name, value]) => [name, name === 'webhook-signature' ? `v1,${signature}` : value]);
    const [report] = await verifySignatures(request, { secret });
    expect(report?.status).toBe('invalid');
    expect(codes(report)).toContain('secret-needs-decoding');
  });

  test('Standard Webhooks: the secret works with or without its whsec_ prefix; a non-base64 one is reported', async () => {
    const secret = SAMPLE_SECRETS['standard-webhooks'];
    const request = nodeSignedRequest('standard-webhooks', { secret, body: SAMPLE_BODIES['standard-webhooks'] });
    expect((await verifySignatures(request, { secret: secret.slice('whsec_'.length) }))[0]?.status).toBe('valid');
    const [report] = await verifySignatures(request, { secret: 'whsec_not base64!' });
    expect(report?.status).toBe('invalid');
    expect(codes(report)).toContain('secret-malformed');
    await expect(signRequest({ scheme: 'standard-webhooks', secret: 'whsec_not base64!', body: '' })).rejects.toThrow('base64');
  });

  test('Stripe: a signature keyed without the whsec_ prefix is named', async () => {
    const secret = SAMPLE_SECRETS.stripe;
    const request = nodeSignedRequest('stripe', { secret: secret.slice('whsec_'.length), body: SAMPLE_BODIES.stripe });
    const [report] = await verifySignatures(request, { secret });
    expect(report?.status).toBe('invalid');
    expect(codes(report)).toContain('secret-prefix-stripped');
  });

  test('a secret pasted with a trailing newline still verifies, with a warning', async () => {
    const request = nodeSignedRequest('shopify', { secret: SAMPLE_SECRETS.shopify, body: SAMPLE_BODIES.shopify });
    const [report] = await verifySignatures(request, { secret: `${SAMPLE_SECRETS.shopify}\n` });
    expect(report?.status).toBe('valid');
    expect(codes(report)).toContain('secret-whitespace');
  });

  test('a mismatch never shows the secret', async () => {
    const request = nodeSignedRequest('github', { secret: SAMPLE_SECRETS.github, body: SAMPLE_BODIES.github });
    const wrong = 'my-very-secret-value-123';
    const [report] = await verifySignatures(request, { secret: wrong });
    expect(codes(report)).toContain('signature-mismatch');
    expect(JSON.stringify(report)).not.toContain(wrong);
  });
});

describe('bodies', () => {
  test('a JSON body that re-serialises differently gets an info finding, even before verifying', () => {
    const pretty = '{\n  "ticket": { "id": 1, "subject": "caf\\u00e9" }\n}';
    const [report] = detectSignatures(nodeSignedRequest('zendesk', { secret: SAMPLE_SECRETS.zendesk, body: pretty }));
    const finding = report?.findings.find((item) => item.code === 'body-reserialised-differs');
    expect(finding?.severity).toBe('info');
    expect(finding?.message).toContain('from character 2');
  });

  test('compact JSON that survives the round trip gets no such finding', () => {
    const [report] = detectSignatures(nodeSignedRequest('zendesk', { secret: SAMPLE_SECRETS.zendesk, body: '{"a":[1,"b"]}' }));
    expect(codes(report)).not.toContain('body-reserialised-differs');
  });

  test('a sender that signs compact JSON but sends it pretty-printed is caught', async () => {
    const sent = '{ "id": 7, "status": "open" }';
    const request = nodeSignedRequest('github', { secret: SAMPLE_SECRETS.github, body: JSON.stringify(JSON.parse(sent)) });
    request.body = new TextEncoder().encode(sent);
    const [report] = await verifySignatures(request, { secret: SAMPLE_SECRETS.github });
    expect(report?.status).toBe('invalid');
    expect(codes(report)).toContain('signed-reserialised-body');
  });
});

describe('Twilio URLs', () => {
  const token = SAMPLE_SECRETS.twilio;
  const body = SAMPLE_BODIES.twilio;

  test('behind a TLS proxy: the https URL Twilio called matches, with a warning', async () => {
    const request = nodeSignedRequest('twilio', { secret: token, body, url: 'https://hooks.example.com/b/t?x=1' }, [
      ['X-Forwarded-Proto', 'https'],
    ]);
    request.url = 'http://hooks.example.com/b/t?x=1';
    const [report] = await verifySignatures(request, { secret: token });
    expect(report?.status).toBe('valid');
    expect(codes(report)).toContain('url-differs');
    expect(messages(report)).toContain('https://hooks.example.com/b/t?x=1');
  });

  test('through a tunnel: the forwarded host is tried', async () => {
    const request = nodeSignedRequest('twilio', { secret: token, body, url: 'https://abc.ngrok.app/b/t' }, [
      ['X-Forwarded-Host', 'abc.ngrok.app'],
      ['X-Forwarded-Proto', 'https'],
    ]);
    request.url = 'http://127.0.0.1:8787/b/t';
    const [report] = await verifySignatures(request, { secret: token });
    expect(report?.status).toBe('valid');
    expect(codes(report)).toContain('url-differs');
  });

  test('the URL the user gives is the one checked first', async () => {
    const request = nodeSignedRequest('twilio', { secret: token, body, url: 'https://public.example/hook' });
    request.url = 'http://10.0.0.5:8787/b/t';
    const [withoutOverride] = await verifySignatures(request, { secret: token });
    expect(withoutOverride?.status).toBe('invalid');
    const [withOverride] = await verifySignatures(request, { secret: token, url: 'https://public.example/hook' });
    expect(withOverride?.status).toBe('valid');
    expect(codes(withOverride)).not.toContain('url-differs');
  });

  test('a URL with the default port written out is tried too', async () => {
    const request = nodeSignedRequest('twilio', { secret: token, body, url: 'https://example.com:443/b/t' });
    request.url = 'https://example.com/b/t';
    const [report] = await verifySignatures(request, { secret: token });
    expect(report?.status).toBe('valid');
    expect(codes(report)).toContain('url-differs');
  });
});

describe('X-Hub-Signature: GitHub or Intercom', () => {
  const body = '{"action":"opened"}';
  const signature = `sha1=${createHmac('sha1', 'hub-secret').update(body).digest('hex')}`;
  const request = (extra: [string, string][] = []) => ({
    method: 'POST',
    url: 'https://bin.example/b/h',
    headers: [['X-Hub-Signature', signature], ...extra] as [string, string][],
    body: new TextEncoder().encode(body),
    bodyTruncated: false,
  });

  test('with nothing else to go on, both are reported for the user to pick', async () => {
    const detected = detectSignatures(request());
    expect(detected.map((report) => report.scheme)).toEqual(['github', 'intercom']);
    expect(detected.every((report) => codes(report).includes('sender-ambiguous'))).toBe(true);
    const picked = await verifySignatures(request(), { secret: 'hub-secret', scheme: 'intercom' });
    expect(picked.map((report) => [report.scheme, report.status])).toEqual([['intercom', 'valid']]);
  });

  test("GitHub's own headers settle it", () => {
    const detected = detectSignatures(request([['X-GitHub-Event', 'issues']]));
    expect(detected.map((report) => report.scheme)).toEqual(['github']);
    expect(codes(detected[0])).not.toContain('sender-ambiguous');
  });

  test('a user who picks Intercom is heard even when GitHub hints are present', async () => {
    const [report] = await verifySignatures(request([['X-GitHub-Event', 'issues']]), { secret: 'hub-secret', scheme: 'intercom' });
    expect(report?.scheme).toBe('intercom');
    expect(report?.status).toBe('valid');
  });
});
