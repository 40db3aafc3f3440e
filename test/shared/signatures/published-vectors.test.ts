/** The checks the senders publish in their own docs. */
import { createHmac } from 'node:crypto';
import { expect, test } from 'vitest';
import { ZENDESK_TEST_SECRET, signRequest, verifySignatures, type SignatureInput } from '../../../shared/signatures/index.ts';

const text = (value: string) => new TextEncoder().encode(value);

function request(headers: [string, string][], body: string, extra: Partial<SignatureInput> = {}): SignatureInput {
  return { method: 'POST', url: 'https://bin.example/b/abc', headers, body: text(body), bodyTruncated: false, ...extra };
}

test("GitHub: secret \"It's a Secret to Everybody\" over \"Hello, World!\"", async () => {
  const published = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
  const [report] = await verifySignatures(request([['X-Hub-Signature-256', published]], 'Hello, World!'), {
    secret: "It's a Secret to Everybody",
  });
  expect(report?.status).toBe('valid');
  const signed = await signRequest({ scheme: 'github', secret: "It's a Secret to Everybody", body: 'Hello, World!' });
  expect(signed).toContainEqual(['X-Hub-Signature-256', published]);
});

test('Standard Webhooks: the spec\'s whsec_MfKQ… example', async () => {
  const headers: [string, string][] = [
    ['webhook-id', 'msg_p5jXN8AQM9LWM0D4loKWxJek'],
    ['webhook-timestamp', '1614265330'],
    ['webhook-signature', 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='],
  ];
  const input = request(headers, '{"test": 2432232314}', { now: 1614265330_000 });
  const [report] = await verifySignatures(input, { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
  expect(report?.status).toBe('valid');
  expect(report?.timestamp).toBe('2021-02-25T15:02:10.000Z');
  expect(report?.ageSeconds).toBe(0);
  const signed = await signRequest({
    scheme: 'standard-webhooks',
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    body: '{"test": 2432232314}',
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: '1614265330',
  });
  expect(signed).toEqual(headers);
});

test("Twilio: the docs' JSON request, whose URL carries the body's SHA-256", async () => {
  const url = 'https://example.com/myapp?bodySHA256=5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9';
  const body = '{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"}';
  const token = '12345';
  // Twilio's samples leave the token to the reader; for JSON the signed message is the URL alone.
  const signature = createHmac('sha1', token).update(url).digest('base64');
  const headers: [string, string][] = [['Content-Type', 'application/json'], ['X-Twilio-Signature', signature]];
  const [valid] = await verifySignatures(request(headers, body, { url }), { secret: token });
  expect(valid?.status).toBe('valid');
  expect(valid?.findings.map((finding) => finding.code)).not.toContain('body-hash-mismatch');

  const [changed] = await verifySignatures(request(headers, body.replace('+1234', '+1239'), { url }), { secret: token });
  expect(changed?.findings.map((finding) => finding.code)).toContain('body-hash-mismatch');
});

test("Zendesk: the docs' test secret is used as text, not decoded", async () => {
  expect(ZENDESK_TEST_SECRET).toBe('dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==');
  const timestamp = '2021-03-25T05:09:27Z';
  const body = '{"type":"zen:event-type:webhook.test","detail":{}}';
  const signature = createHmac('sha256', ZENDESK_TEST_SECRET).update(timestamp + body).digest('base64');
  const headers: [string, string][] = [
    ['X-Zendesk-Webhook-Signature', signature],
    ['X-Zendesk-Webhook-Signature-Timestamp', timestamp],
  ];
  const [report] = await verifySignatures(request(headers, body, { now: Date.parse(timestamp) + 1_000 }), {
    secret: ZENDESK_TEST_SECRET,
  });
  expect(report?.status).toBe('valid');
  expect(report?.ageSeconds).toBe(1);
  expect(await signRequest({ scheme: 'zendesk', secret: ZENDESK_TEST_SECRET, body, timestamp })).toEqual(headers);
});
