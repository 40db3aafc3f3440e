import { describe, expect, it } from 'vitest';
import { analyze, analyzeAuthorization } from '../../../shared/auth/index.ts';
import type { Expected } from '../../../shared/auth/types.ts';
import { basicWith, docEmail, docHeader, docToken, epochSeconds, signedJwt } from './make-credentials.ts';

/** A bin analyses request after request against one expectation; each answer must stand on its own. */

const now = Date.parse('2025-06-01T12:00:00Z');
const hour = 3_600_000;

describe('one expectation over many requests', () => {
  it("judges an expected JWT against each call's clock", () => {
    const expected: Expected = { kind: 'oauth', token: signedJwt({ sub: '1', exp: epochSeconds(now, 3600) }) };
    const codes = (at: number) => analyzeAuthorization('Bearer abc', { expected, now: at }).findings.map((f) => f.code);
    expect(codes(now)).not.toContain('jwt-expired');
    expect(codes(now + 2 * hour)).toContain('jwt-expired');
    expect(codes(now)).not.toContain('jwt-expired');
  });

  it('answers for the expectation of each call, when expectations alternate', () => {
    const right: Expected = { kind: 'api-token', email: docEmail, token: docToken };
    const otherToken: Expected = { kind: 'api-token', email: docEmail, token: docToken.replace('6', '7') };
    const password: Expected = { kind: 'password', email: docEmail, password: docToken };
    const match = (expected: Expected) => analyzeAuthorization(docHeader, { expected, now }).comparison?.match;
    expect([right, otherToken, right, password, right].map(match)).toEqual([true, false, true, false, true]);
  });

  it('reports the same findings about the expectation every time', () => {
    const expected: Expected = { kind: 'api-token', email: docEmail, token: `${docToken} ` };
    const first = analyzeAuthorization(basicWith(`${docEmail}/token:${docToken}`), { expected, now }).findings;
    const again = analyzeAuthorization(basicWith(`${docEmail}/token:${docToken}`), { expected, now }).findings;
    expect(first.filter((f) => f.message.startsWith('In what you expected'))).toHaveLength(1);
    expect(again).toEqual(first);
  });
});

describe('one header name over many requests', () => {
  it('flags a misnamed header unless it is the API key header of that call', () => {
    const headers: [string, string][] = [['X-Auth', 'abc']];
    const flagged = (expected?: Expected) => analyze({ headers, now, ...(expected ? { expected } : {}) }).findings.some((f) => f.code === 'nonstandard-header');
    expect(flagged()).toBe(true);
    expect(flagged({ kind: 'api-key', header: 'x-auth', value: 'abc' })).toBe(false);
    expect(flagged()).toBe(true);
  });
});
