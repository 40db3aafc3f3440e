import { describe, expect, it } from 'vitest';
import { readAuthorization } from '../../../shared/auth/read-authorization.ts';
import { AuthorizationReadings } from '../../../server/rules/authorization-readings.ts';

const basic = `Basic ${Buffer.from('me@example.com/token:abc\n').toString('base64')}`;
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = `Bearer ${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sub: 'me', exp: 2_000_000_000 })}.c2lnbmF0dXJl`;

describe('AuthorizationReadings', () => {
  it('reads as readAuthorization does, and reads a Basic value again from what it kept', () => {
    const readings = new AuthorizationReadings();
    const first = readings.read(basic, 1_000);
    expect(first).toEqual(readAuthorization(basic, 1_000));
    expect(first.findings.length).toBeGreaterThan(0);
    expect(readings.read(basic, 2_000)).toBe(first);
  });

  it('reads a bearer token every time: whether a JWT has expired depends on when it arrived', () => {
    const readings = new AuthorizationReadings();
    const before = readings.read(jwt, 1_000_000_000_000);
    const after = readings.read(jwt, 3_000_000_000_000);
    expect(after).not.toBe(before);
    expect(after).toEqual(readAuthorization(jwt, 3_000_000_000_000));
    expect(after.findings.map((found) => found.code)).not.toEqual(before.findings.map((found) => found.code));
  });
});
