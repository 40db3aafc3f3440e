import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, analyzeAuthorization, canonicalHeader } from '../../../shared/auth/index.ts';
import type { Expected } from '../../../shared/auth/types.ts';
import { basicWith, docCredentials, docEmail, docHeader, docToken, python, quote, shell } from './make-credentials.ts';

const now = Date.parse('2025-06-01T12:00:00Z');
const apiToken: Expected = { kind: 'api-token', email: docEmail, token: docToken };

function compare(value: string, expected: Expected) {
  const comparison = analyzeAuthorization(value, { expected, now }).comparison;
  if (!comparison) throw new Error('no comparison');
  return comparison;
}

describe('comparing with an expected API token', () => {
  it("matches the docs' header", () => {
    expect(compare(docHeader, apiToken)).toEqual({ match: true, differences: [] });
  });

  it('matches whatever the case of the scheme', () => {
    expect(compare(docHeader.replace('Basic', 'BASIC'), apiToken).match).toBe(true);
  });

  it('names the trailing newline that echo added, without showing the token', () => {
    const comparison = compare(`Basic ${shell(`echo ${quote(docCredentials)} | base64 -w0`)}`, apiToken);
    expect(comparison.match).toBe(false);
    expect(comparison.differences).toEqual([
      {
        part: 'secret',
        message: 'the API token differs: 40 characters expected, 41 received; they first differ at character 41 (received has a trailing newline)',
      },
    ]);
  });

  it("reads through Python's b'…': the parts match, the header does not", () => {
    const value = python(`"Basic " + str(base64.b64encode(${JSON.stringify(docCredentials)}.encode()))`);
    expect(value).toBe(`Basic b'${docHeader.slice('Basic '.length)}'`);
    const analysis = analyzeAuthorization(value, { expected: apiToken, now });
    expect(analysis.basic).toMatchObject({ email: docEmail, kind: 'api-token', secret: docToken });
    expect(analysis.findings.map((f) => `${f.severity} ${f.code}`)).toEqual(['error python-bytes']);
    expect(analysis.comparison).toEqual({
      match: false,
      differences: [{ part: 'value', message: "the credentials are the ones expected, but they are wrapped in Python's b'…' (bytes turned into text)" }],
    });
  });

  it('says the credentials are right but encoded as UTF-16', () => {
    const comparison = compare(basicWith(docCredentials, 'utf16le'), apiToken);
    expect(comparison.match).toBe(false);
    expect(comparison.differences).toEqual([{ part: 'value', message: 'the credentials are the ones expected, but they were encoded as UTF-16 instead of UTF-8' }]);
  });

  it('points at the missing /token suffix and nothing else', () => {
    const comparison = compare(basicWith(`${docEmail}:${docToken}`), apiToken);
    expect(comparison.differences.map((d) => d.part)).toEqual(['token-suffix']);
  });

  it('shows both emails when the email differs', () => {
    const comparison = compare(basicWith(`jdoe@example.org/token:${docToken}`), apiToken);
    expect(comparison.differences).toEqual([{ part: 'email', message: 'the email differs: expected "jdoe@example.com", received "jdoe@example.org"' }]);
  });

  it('finds where two tokens of the same length part', () => {
    const other = `${docToken.slice(0, 16)}X${docToken.slice(17)}`;
    const [difference] = compare(basicWith(`${docEmail}/token:${other}`), apiToken).differences;
    expect(difference?.message).toBe('the API token differs: both are 40 characters; they first differ at character 17');
    expect(difference?.message).not.toContain(other);
  });

  it('names the scheme when a Bearer header carries the right credentials', () => {
    const comparison = compare(`Bearer ${docHeader.slice('Basic '.length)}`, apiToken);
    expect(comparison.differences).toEqual([{ part: 'scheme', message: 'expected the Basic scheme, received "Bearer"' }]);
  });

  it('does not match when two Authorization headers are sent', () => {
    const { comparison } = analyze({ headers: [['Authorization', docHeader], ['Authorization', docHeader]], expected: apiToken, now });
    expect(comparison?.match).toBe(false);
    expect(comparison?.differences[0]?.message).toMatch(/2 Authorization headers/);
  });

  it('says no header was sent', () => {
    const { comparison } = analyze({ headers: [['Host', 'x']], expected: apiToken, now });
    expect(comparison).toEqual({ match: false, differences: [{ part: 'value', message: 'no Authorization header was sent; expected one with the Basic scheme' }] });
  });
});

describe('the other kinds of expected credentials', () => {
  it('password: matches email:password and tells a password from an API token login', () => {
    const password: Expected = { kind: 'password', email: docEmail, password: 'hunter2' };
    expect(compare(basicWith(`${docEmail}:hunter2`), password).match).toBe(true);
    expect(compare(basicWith(`${docEmail}/token:hunter2`), password).differences.map((d) => d.part)).toEqual(['token-suffix']);
  });

  it('oauth: matches "Bearer <token>" and names a token sent under Basic', () => {
    const token = 'a3f1c9e07b5d4e2f8a6c1b9d0e7f3a5c2b8d4f6e1a9c7b3d5f0e2a4c6b8d1f3e';
    const oauth: Expected = { kind: 'oauth', token };
    expect(compare(`Bearer ${token}`, oauth).match).toBe(true);
    expect(compare(`bearer ${token}`, oauth).match).toBe(true);
    expect(compare(`Basic ${token}`, oauth).differences).toEqual([{ part: 'scheme', message: 'expected the Bearer scheme, received "Basic"' }]);
    expect(compare(`Bearer "${token}"`, oauth).differences).toEqual([{ part: 'value', message: 'the credentials are the ones expected, but they are wrapped in quotes' }]);
  });

  it('api-key: compares the custom header a webhook sends', () => {
    const apiKey: Expected = { kind: 'api-key', header: 'X-Api-Key', value: 'k-123456' };
    expect(analyze({ headers: [['x-api-key', 'k-123456']], expected: apiKey, now }).comparison?.match).toBe(true);
    expect(analyze({ headers: [['X-Api-Key', 'k-123457']], expected: apiKey, now }).comparison?.differences).toEqual([
      { part: 'value', message: 'the API key differs: both are 8 characters; they first differ at character 8' },
    ]);
    expect(analyze({ headers: [['Authorization', 'Bearer k-123456']], expected: apiKey, now }).comparison?.differences).toEqual([
      { part: 'value', message: 'no "X-Api-Key" header was sent; the expected value arrived in the "Authorization" header instead' },
    ]);
  });

  it('header: compares with the exact header value the user meant, "Authorization:" prefix or not', () => {
    expect(compare(docHeader, { kind: 'header', value: `Authorization: ${docHeader}` }).match).toBe(true);
    expect(compare(`${docHeader}x`, { kind: 'header', value: docHeader }).match).toBe(false);
  });

  it('checks the expected side too: a pasted token with a trailing space', () => {
    const analysis = analyzeAuthorization(docHeader, { expected: { kind: 'api-token', email: docEmail, token: `${docToken} ` }, now });
    expect(analysis.comparison?.differences).toEqual([
      { part: 'secret', message: 'the API token differs: 41 characters expected, 40 received; they first differ at character 41 (what you expected has whitespace around it)' },
    ]);
    const own = analysis.findings.find((f) => f.code === 'surrounding-whitespace');
    expect(own?.message).toMatch(/^In what you expected: the API token starts or ends with a space/);
  });
});

// One character of `text` replaced by a different one.
function changeOneCharacter(text: string, at: number, replacement: string): string {
  const chars = [...text];
  const index = at % chars.length;
  const different = chars[index] === replacement ? (replacement === 'a' ? 'b' : 'a') : replacement;
  chars[index] = different;
  return chars.join('');
}

const tokenChar = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/');
const token = fc.string({ unit: tokenChar, minLength: 1, maxLength: 80 });
const secret = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 });
const email = fc.emailAddress();
const expectedCredential: fc.Arbitrary<Expected> = fc.oneof(
  fc.record({ kind: fc.constant('password' as const), email, password: secret }),
  fc.record({ kind: fc.constant('api-token' as const), email, token: secret }),
  fc.record({ kind: fc.constant('oauth' as const), token }),
  fc.record({ kind: fc.constant('api-key' as const), header: fc.constantFrom('X-Api-Key', 'Api-Key', 'X-Zendesk-Key'), value: token }),
);

function secretOf(expected: Expected): string {
  switch (expected.kind) {
    case 'password':
      return expected.password;
    case 'api-token':
    case 'oauth':
      return expected.token;
    case 'api-key':
    case 'header':
      return expected.value;
  }
}

function withSecret(expected: Expected, value: string): Expected {
  switch (expected.kind) {
    case 'password':
      return { ...expected, password: value };
    case 'api-token':
    case 'oauth':
      return { ...expected, token: value };
    case 'api-key':
    case 'header':
      return { ...expected, value };
  }
}

describe('round trip', () => {
  it('the header built from what was expected always matches it', () => {
    fc.assert(
      fc.property(expectedCredential, (expected) => {
        const { name, value } = canonicalHeader(expected);
        const { comparison } = analyze({ headers: [[name, value]], expected, now });
        expect(comparison).toEqual({ match: true, differences: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('a one-character change in the secret never matches, and says why', () => {
    fc.assert(
      fc.property(expectedCredential, fc.nat(), tokenChar, (expected, at, replacement) => {
        const changed = withSecret(expected, changeOneCharacter(secretOf(expected), at, replacement));
        const { name, value } = canonicalHeader(changed);
        const { comparison } = analyze({ headers: [[name, value]], expected, now });
        expect(comparison?.match).toBe(false);
        expect(comparison?.differences.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('a one-character change in the email never matches, and names the email', () => {
    fc.assert(
      fc.property(email, secret, fc.nat(), tokenChar, (address, password, at, replacement) => {
        const expected: Expected = { kind: 'api-token', email: address, token: password };
        const sent = canonicalHeader({ ...expected, email: changeOneCharacter(address, at, replacement) });
        const { comparison } = analyze({ headers: [[sent.name, sent.value]], expected, now });
        expect(comparison?.match).toBe(false);
        expect(comparison?.differences.map((d) => d.part)).toContain('email');
      }),
      { numRuns: 200 },
    );
  });
});
