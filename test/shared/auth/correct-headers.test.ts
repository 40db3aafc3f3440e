import { describe, expect, it } from 'vitest';
import { analyze, analyzeAuthorization } from '../../../shared/auth/index.ts';
import type { Analysis } from '../../../shared/auth/types.ts';
import { docEmail, docHeader, docToken, epochSeconds, quote, shell, signedJwt } from './make-credentials.ts';

const now = Date.parse('2025-06-01T12:00:00Z');
const oauthToken = 'a3f1c9e07b5d4e2f8a6c1b9d0e7f3a5c2b8d4f6e1a9c7b3d5f0e2a4c6b8d1f3e';

function problems(analysis: Analysis): string[] {
  return analysis.findings.filter((f) => f.severity !== 'info').map((f) => `${f.code}: ${f.message}`);
}

describe('a correct header has no error or warning', () => {
  const correct: [string, string][] = [
    ["the Zendesk docs' API token example", docHeader],
    ['API token made with printf and base64', `Basic ${shell(`printf '%s' ${quote(`agent@acme.io/token:${docToken}`)} | base64 -w0`)}`],
    ['password made with printf and base64', `Basic ${shell(`printf '%s' ${quote('agent@acme.io:correct horse battery staple')} | base64 -w0`)}`],
    ["PowerShell's [Text.Encoding]::UTF8 (same bytes as Node's utf8)", `Basic ${Buffer.from(`agent@acme.io/token:${docToken}`, 'utf8').toString('base64')}`],
    ['password with a colon inside', `Basic ${Buffer.from('agent@acme.io:pa:ss').toString('base64')}`],
    ['Zendesk OAuth access token', `Bearer ${oauthToken}`],
    ['a signed JWT that is still valid', `Bearer ${signedJwt({ sub: '42', iat: epochSeconds(now, -60), exp: epochSeconds(now, 3600) })}`],
  ];

  it.each(correct)('%s', (_name, value) => {
    const analysis = analyzeAuthorization(value, { now });
    expect(problems(analysis)).toEqual([]);
    expect(analysis.present).toBe(true);
  });

  it('reads the docs example as an API token login for jdoe@example.com', () => {
    const { scheme, basic } = analyzeAuthorization(docHeader, { now });
    expect(scheme).toBe('basic');
    expect(basic).toEqual({
      encoding: 'utf-8',
      decoded: `${docEmail}/token:${docToken}`,
      user: `${docEmail}/token`,
      secret: docToken,
      kind: 'api-token',
      email: docEmail,
    });
  });

  it('only notes, as info, a UTF-8 password with non-ASCII characters', () => {
    const analysis = analyzeAuthorization(`Basic ${Buffer.from('agent@acme.io:pässwort£').toString('base64')}`, { now });
    expect(problems(analysis)).toEqual([]);
    expect(analysis.findings.map((f) => f.code)).toEqual(['non-ascii']);
  });
});

describe('unrelated headers are never flagged', () => {
  const everyday: [string, string][] = [
    ['Host', 'acme.zendesk.com'],
    ['User-Agent', 'Zendesk Webhook'],
    ['Accept', 'application/json'],
    ['Content-Type', 'application/json; charset=utf-8'],
    ['Content-Length', '17'],
    ['X-Zendesk-Account-Id', '123456'],
    ['X-Zendesk-Webhook-Id', '01GYTTSWNJXDHX5TKY7NAK2EMB'],
    ['X-Zendesk-Webhook-Invocation-Id', '8350205582'],
    ['X-Zendesk-Webhook-Signature', 'z/7JJ1yK6jCVL4Cv0ciCTQn3BIO7GQ28qlTbvHCr96g='],
    ['X-Zendesk-Webhook-Signature-Timestamp', '2021-03-25T05:09:27Z'],
    ['X-Api-Key', 'k-123'],
    ['X-Auth-Token', 'abc'],
    ['Proxy-Authorization', 'Basic cHJveHk6cHc='],
    ['Cookie', '_zendesk_session=abc; token=def'],
    ['Authenticity-Token', 'x'],
    ['Accept-Encoding', 'gzip, deflate, br'],
  ];

  it('a webhook request with a correct header and everyday headers has no findings at all', () => {
    const analysis = analyze({ headers: [...everyday, ['Authorization', docHeader]], url: '/b/demo/hook?ticket=42', body: '{"ticket":{"id":42}}', contentType: 'application/json', now });
    expect(analysis.findings).toEqual([]);
  });

  it('without an Authorization header, only "missing" is reported', () => {
    const analysis = analyze({ headers: everyday, url: '/b/demo/hook', now });
    expect(analysis.findings.map((f) => f.code)).toEqual(['missing']);
  });

  it('a signed webhook without Authorization hears it only as information, pointing at its signature', () => {
    const signed = analyze({ headers: everyday, url: '/b/demo/hook', now }).findings;
    expect(signed).toEqual([expect.objectContaining({ code: 'missing', severity: 'info', message: expect.stringContaining('X-Zendesk-Webhook-Signature') })]);
    const unsigned = analyze({ headers: everyday.filter(([name]) => !name.startsWith('X-Zendesk-Webhook-Signature')), url: '/b/demo/hook', now }).findings;
    expect(unsigned).toEqual([expect.objectContaining({ code: 'missing', severity: 'error' })]);
  });

  it('a webhook that sends an API key in its own header is not told that Authorization is missing', () => {
    const analysis = analyze({ headers: everyday, now, expected: { kind: 'api-key', header: 'X-Api-Key', value: 'k-123' } });
    expect(analysis.findings).toEqual([]);
    expect(analysis.comparison).toEqual({ match: true, differences: [] });
  });

  it('an OAuth token request may carry a password in its body', () => {
    const body = JSON.stringify({ grant_type: 'password', client_id: 'app', username: docEmail, password: 'pw', scope: 'read' });
    const analysis = analyze({ headers: [['Content-Type', 'application/json']], url: '/oauth/tokens', body, contentType: 'application/json', now });
    expect(analysis.findings.map((f) => f.code)).toEqual(['missing']);
  });
});
