import { describe, expect, it } from 'vitest';
import { analyzeAuthorization } from '../../../shared/auth/index.ts';
import { parseAuthorization } from '../../../shared/auth/header-value.ts';
import { docHeader } from './make-credentials.ts';

describe('parseAuthorization on plain "Scheme credentials" values', () => {
  it('splits a well-formed header with no findings', () => {
    const credentials = docHeader.slice('Basic '.length);
    expect(parseAuthorization(docHeader)).toEqual({ scheme: 'basic', schemeRaw: 'Basic', meant: 'basic', rawCredentials: credentials, credentials, findings: [] });
  });

  it("notes only the scheme's letter case when that is all that is off", () => {
    const parsed = parseAuthorization('BEARER abc.def-ghi_jkl~');
    expect(parsed.scheme).toBe('bearer');
    expect(parsed.findings.map((f) => f.code)).toEqual(['scheme-case']);
  });

  it.each(['Basic Basic', 'Basic Basic==', 'Bearer bearer', 'Basic Bearer='])('names the doubled scheme in "%s"', (value) => {
    expect(analyzeAuthorization(value).findings.map((f) => f.code)).toContain('doubled-scheme');
  });
});

describe('template text read before the spaces are taken out', () => {
  it.each([
    ['Basic {base-64-encoded email_address/token:api_token}', 'placeholder'],
    ['Basic <base64 of email/token:api_token>', 'placeholder'],
    ['Bearer {{token}}', 'unresolved-variable'],
    ['Basic $(echo -n "$EMAIL/token:$TOKEN" | base64)', 'unresolved-variable'],
  ])('names only the template in "%s"', (value, code) => {
    expect(analyzeAuthorization(value).findings.map((f) => f.code)).toEqual([code]);
  });
});
