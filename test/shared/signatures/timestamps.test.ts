/** Signed timestamps: age at receipt, tolerance windows, missing and unreadable values. */
import { expect, test } from 'vitest';
import { detectSignatures, verifySignatures } from '../../../shared/signatures/index.ts';
import { RECEIVED_AT, SAMPLE_BODIES, SAMPLE_SECRETS, nodeSignedRequest } from './node-senders.ts';

const unix = (ms: number) => String(Math.floor(ms / 1000));
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const finding = (findings: { code: string }[], code: string) => findings.find((item) => item.code === code) as
  | { code: string; severity: string; message: string }
  | undefined;

test.each([
  ['stripe', unix],
  ['slack', unix],
  ['standard-webhooks', unix],
] as const)('%s: a valid signature on a 12-minute-old timestamp is valid and flagged as an error', async (scheme, format) => {
  const request = nodeSignedRequest(scheme, {
    secret: SAMPLE_SECRETS[scheme],
    body: SAMPLE_BODIES[scheme],
    timestamp: format(RECEIVED_AT - 12 * 60_000),
  });
  const [report] = await verifySignatures(request, { secret: SAMPLE_SECRETS[scheme] });
  expect(report?.status).toBe('valid');
  expect(report?.ageSeconds).toBe(720);
  expect(report?.timestamp).toBe(new Date(RECEIVED_AT - 720_000).toISOString());
  const stale = finding(report?.findings ?? [], 'timestamp-outside-tolerance');
  expect(stale?.severity).toBe('error');
  expect(stale?.message).toContain('12 minutes old');
  expect(stale?.message).toContain('7 minutes outside');
});

test('zendesk: no documented window, so beyond 5 minutes is a warning that reports the age', async () => {
  const request = nodeSignedRequest('zendesk', {
    secret: SAMPLE_SECRETS.zendesk,
    body: SAMPLE_BODIES.zendesk,
    timestamp: iso(RECEIVED_AT - 2 * 3_600_000 - 5 * 60_000),
  });
  const [report] = await verifySignatures(request, { secret: SAMPLE_SECRETS.zendesk });
  expect(report?.status).toBe('valid');
  expect(report?.ageSeconds).toBe(7_500);
  const stale = finding(report?.findings ?? [], 'timestamp-outside-tolerance');
  expect(stale?.severity).toBe('warning');
  expect(stale?.message).toContain('2 hours 5 minutes old');
  expect(stale?.message).toContain('documents no tolerance');
});

test('a timestamp within 5 minutes is not flagged, and its age is reported', () => {
  const request = nodeSignedRequest('zendesk', {
    secret: SAMPLE_SECRETS.zendesk,
    body: SAMPLE_BODIES.zendesk,
    timestamp: iso(RECEIVED_AT - 299_000),
  });
  const [report] = detectSignatures(request);
  expect(report?.ageSeconds).toBe(299);
  expect(finding(report?.findings ?? [], 'timestamp-outside-tolerance')).toBeUndefined();
});

test('a timestamp from the future is measured and flagged', () => {
  const request = nodeSignedRequest('slack', {
    secret: SAMPLE_SECRETS.slack,
    body: SAMPLE_BODIES.slack,
    timestamp: unix(RECEIVED_AT + 10 * 60_000),
  });
  const [report] = detectSignatures(request);
  expect(report?.ageSeconds).toBe(-600);
  expect(finding(report?.findings ?? [], 'timestamp-outside-tolerance')?.message).toContain('10 minutes in the future');
});

test('age is measured at receipt (`now`), not when someone looks at the request later', () => {
  const request = nodeSignedRequest('stripe', { secret: SAMPLE_SECRETS.stripe, body: SAMPLE_BODIES.stripe });
  expect(detectSignatures(request)[0]?.ageSeconds).toBe(0);
  expect(detectSignatures({ ...request, now: RECEIVED_AT + 86_400_000 })[0]?.ageSeconds).toBe(86_400);
});

test('a missing timestamp header is reported, and the signature is still checked', async () => {
  const request = nodeSignedRequest('slack', { secret: SAMPLE_SECRETS.slack, body: SAMPLE_BODIES.slack });
  request.headers = request.headers.filter(([name]) => name !== 'X-Slack-Request-Timestamp');
  const [report] = await verifySignatures(request, { secret: SAMPLE_SECRETS.slack });
  expect(report?.status).toBe('invalid');
  expect(report?.timestamp).toBeUndefined();
  expect(finding(report?.findings ?? [], 'timestamp-missing')?.message).toContain('X-Slack-Request-Timestamp');
});

test('a Stripe header without t= is reported as a missing timestamp', () => {
  const request = nodeSignedRequest('stripe', { secret: SAMPLE_SECRETS.stripe, body: SAMPLE_BODIES.stripe });
  request.headers = request.headers.map(([name, value]) => [name, value.replace(/^t=\d+,/, '')]);
  const [report] = detectSignatures(request);
  expect(report?.status).toBe('unverified');
  expect(finding(report?.findings ?? [], 'timestamp-missing')?.message).toContain('t= in Stripe-Signature');
});

test('an unreadable timestamp is reported without an age', () => {
  const request = nodeSignedRequest('zendesk', {
    secret: SAMPLE_SECRETS.zendesk,
    body: SAMPLE_BODIES.zendesk,
    timestamp: '1714564800',
  });
  const [report] = detectSignatures(request);
  expect(report?.ageSeconds).toBeUndefined();
  expect(finding(report?.findings ?? [], 'timestamp-malformed')?.message).toContain('ISO-8601');
});
