/** Every scheme against requests signed by Node's crypto: the right secret, a wrong one, a changed body, a truncated body. */
import { describe, expect, test } from 'vitest';
import { SIGNATURE_SCHEMES, detectSignatures, verifySignatures, type SignatureScheme } from '../../../shared/signatures/index.ts';
import { SAMPLE_BODIES, SAMPLE_SECRETS, nodeSignedRequest } from './node-senders.ts';

const codes = (findings: { code: string }[]) => findings.map((finding) => finding.code);

describe.each(SIGNATURE_SCHEMES.map((scheme) => [scheme]))('%s', (scheme: SignatureScheme) => {
  const secret = SAMPLE_SECRETS[scheme];
  const body = SAMPLE_BODIES[scheme];
  const request = () => nodeSignedRequest(scheme, { secret, body });

  test('is detected as unverified from its headers alone', () => {
    const reports = detectSignatures(request());
    expect(reports.map((report) => report.scheme)).toEqual([scheme]);
    expect(reports[0]?.status).toBe('unverified');
    expect(reports[0]?.headers.length).toBeGreaterThan(0);
  });

  test('verifies with the secret it was signed with', async () => {
    const [report] = await verifySignatures(request(), { secret });
    expect(report?.status).toBe('valid');
    expect(codes(report?.findings ?? [])).toContain('signature-valid');
    expect(codes(report?.findings ?? [])).not.toContain('timestamp-outside-tolerance');
  });

  test('is invalid with another secret', async () => {
    const [report] = await verifySignatures(request(), { secret: `${secret.slice(0, -2)}zz` });
    expect(report?.status).toBe('invalid');
    expect(codes(report?.findings ?? [])).toContain('signature-mismatch');
  });

  test('is invalid when one byte of the body changed after signing', async () => {
    const changed = request();
    const last = changed.body.length - 1;
    changed.body[last] = (changed.body[last] ?? 0) ^ 0x01;
    const [report] = await verifySignatures(changed, { secret });
    expect(report?.status).toBe('invalid');
    expect(codes(report?.findings ?? [])).toContain('signature-mismatch');
  });

  test('stays unverified when the stored body is truncated', async () => {
    const truncated = { ...request(), bodyTruncated: true };
    truncated.body = truncated.body.slice(0, 10);
    const [report] = await verifySignatures(truncated, { secret });
    expect(report?.status).toBe('unverified');
    expect(codes(report?.findings ?? [])).toContain('body-truncated');
    expect(report?.findings.find((finding) => finding.code === 'body-truncated')?.message).toContain('first 10 bytes');
  });

  test('is reported, when picked, even when its headers are missing', async () => {
    const bare = { ...request(), headers: [['Content-Type', 'application/json']] as [string, string][] };
    expect(detectSignatures(bare)).toEqual([]);
    const [report] = await verifySignatures(bare, { secret, scheme });
    expect(report?.scheme).toBe(scheme);
    expect(report?.status).toBe('malformed');
    expect(codes(report?.findings ?? [])).toEqual(['signature-missing']);
  });
});

test('a request without signature headers has no reports', async () => {
  const plain = {
    method: 'POST',
    url: 'http://localhost:8787/b/abc',
    headers: [['Authorization', 'Basic dXNlcjpwYXNz'], ['Content-Type', 'application/json']] as [string, string][],
    body: new TextEncoder().encode('{"a":1}'),
    bodyTruncated: false,
  };
  expect(detectSignatures(plain)).toEqual([]);
  expect(await verifySignatures(plain, { secret: 'anything' })).toEqual([]);
});

test('header names are matched in any case and reported as sent', () => {
  const request = nodeSignedRequest('zendesk', { secret: SAMPLE_SECRETS.zendesk, body: SAMPLE_BODIES.zendesk });
  request.headers = request.headers.map(([name, value]) => [name.toLowerCase(), value]);
  const [report] = detectSignatures(request);
  expect(report?.headers).toEqual(['x-zendesk-webhook-signature', 'x-zendesk-webhook-signature-timestamp']);
});
