/** Signature headers that can't be read: each is `malformed` with a message that says why. */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { SIGNATURE_SCHEMES, detectSignatures, verifySignatures, type SignatureInput } from '../../../shared/signatures/index.ts';

const body = '{"ok":true}';
const sha256 = createHmac('sha256', 'secret').update(body).digest();

function withHeaders(headers: [string, string][]): SignatureInput {
  return { method: 'POST', url: 'https://bin.example/b/x', headers, body: new TextEncoder().encode(body), bodyTruncated: false, now: 0 };
}

test.each([
  ['GitHub header without sha256=', [['X-Hub-Signature-256', sha256.toString('hex')]], 'should start with "sha256="'],
  ['GitHub header with the wrong prefix', [['X-Hub-Signature-256', `sha1=${sha256.toString('hex')}`]], 'it has "sha1="'],
  ['GitHub signature in base64', [['X-Hub-Signature-256', `sha256=${sha256.toString('base64')}`]], 'is base64; GitHub sends lowercase hex'],
  ['GitHub signature cut short', [['X-Hub-Signature-256', `sha256=${sha256.toString('hex').slice(0, 40)}`]], 'decodes to 20 bytes; an HMAC-SHA256 is 32 bytes (64 hex characters)'],
  ['Shopify signature in hex', [['X-Shopify-Hmac-Sha256', sha256.toString('hex')]], 'is hex; Shopify sends base64'],
  ['Shopify signature in base64url', [['X-Shopify-Hmac-Sha256', sha256.toString('base64url')]], 'base64url or unpadded base64'],
  ['Zendesk signature that is not base64', [['X-Zendesk-Webhook-Signature', 'not a signature!'], ['X-Zendesk-Webhook-Signature-Timestamp', '2021-03-25T05:09:27Z']], 'is not base64'],
  ['Slack signature without v0=', [['X-Slack-Signature', sha256.toString('hex')], ['X-Slack-Request-Timestamp', '0']], 'should start with "v0="'],
  ['Stripe header with only v0', [['Stripe-Signature', `t=0,v0=${sha256.toString('hex')}`]], 'has only v0'],
  ['Standard Webhooks header without a v1 entry', [['webhook-signature', `v1a,${sha256.toString('base64')}`], ['webhook-id', 'msg_1'], ['webhook-timestamp', '0']], 'only v1a entries'],
  ['Twilio signature with spaces around it', [['X-Twilio-Signature', ` ${createHmac('sha1', 'x').update('y').digest('base64')} `]], 'spaces around it'],
  ['empty Intercom header', [['X-Hub-Signature', 'sha1='], ['User-Agent', 'intercom-webhooks']], 'decodes to 0 bytes'],
] as [string, [string, string][], string][])('%s', async (_name, headers, explanation) => {
  const [detected] = detectSignatures(withHeaders(headers));
  expect(detected?.status).toBe('malformed');
  const malformed = detected?.findings.find((finding) => finding.code === 'signature-malformed');
  expect(malformed?.message).toContain(explanation);
  // A malformed header stays malformed whatever the secret: there are no signature bytes to compare.
  const verified = await verifySignatures(withHeaders(headers), { secret: 'secret' });
  expect(verified.map((report) => report.status)).toEqual(verified.map(() => 'malformed'));
});

test('a Stripe header with one unreadable v1 among good ones still verifies with the good one', async () => {
  const payload = `0.${body}`;
  const good = createHmac('sha256', 'whsec_x').update(payload).digest('hex');
  const [report] = await verifySignatures(withHeaders([['Stripe-Signature', `t=0,v1=zz,v1=${good}`]]), { secret: 'whsec_x' });
  expect(report?.status).toBe('valid');
  expect(report?.findings.find((finding) => finding.code === 'signature-malformed')?.message).toContain('v1 number 1');
});

test('a repeated signature header is a warning, and the first copy is checked', async () => {
  const signature = `sha256=${sha256.toString('hex')}`;
  const [report] = await verifySignatures(
    withHeaders([
      ['X-Hub-Signature-256', signature],
      ['X-Hub-Signature-256', 'sha256=00'],
    ]),
    { secret: 'secret' },
  );
  expect(report?.status).toBe('valid');
  expect(report?.findings.find((finding) => finding.code === 'signature-header-repeated')?.message).toContain('sent 2 times');
});

/** Headers whose presence alone makes a report (timestamps need their signature, except Zendesk's unique names). */
const reportingHeaders = [
  'X-Zendesk-Webhook-Signature',
  'X-Zendesk-Webhook-Signature-Timestamp',
  'X-Hub-Signature-256',
  'X-Hub-Signature',
  'Stripe-Signature',
  'X-Slack-Signature',
  'X-Shopify-Hmac-Sha256',
  'webhook-signature',
  'svix-signature',
  'X-Twilio-Signature',
];
const companionHeaders = ['X-Slack-Request-Timestamp', 'webhook-timestamp', 'webhook-id', 'svix-id', 'X-GitHub-Event', 'Content-Type'];

test('any value in any signature header gives a report with a known status, never an exception', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.constantFrom(...reportingHeaders, ...companionHeaders), fc.string({ maxLength: 80 })), { maxLength: 5 }),
      fc.uint8Array({ maxLength: 64 }),
      (headers, bytes) => {
        const reports = detectSignatures({ method: 'POST', url: 'http://x/', headers, body: bytes, bodyTruncated: false, now: 0 });
        expect(reports.length > 0).toBe(headers.some(([name]) => reportingHeaders.includes(name)));
        for (const report of reports) {
          expect(SIGNATURE_SCHEMES).toContain(report.scheme);
          expect(['unverified', 'malformed']).toContain(report.status);
          const unreadable = report.findings.some((finding) => /^signature-(malformed|missing)$/.test(finding.code));
          expect(report.status === 'malformed').toBe(unreadable);
        }
      },
    ),
    { numRuns: 300 },
  );
});
