import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, findingCodes } from '../../../shared/auth/index.ts';
import type { Analysis, Expected } from '../../../shared/auth/types.ts';

const codes = new Set<string>(findingCodes);
const anyText = fc.string({ unit: 'binary', maxLength: 200 });
const headerName = fc.oneof(fc.constantFrom('Authorization', 'authorization', 'AUTHORIZATION', 'Authorisation', 'X-Api-Key', 'Host'), fc.string({ maxLength: 20 }));
const scheme = fc.constantFrom('Basic ', 'Bearer ', 'basic  ', 'Basic Basic ', 'Token ', '', 'Basic:', '"Basic ');
const base64Bytes = fc.uint8Array({ maxLength: 120 }).map((bytes) => Buffer.from(bytes).toString('base64'));
const base64urlBytes = fc.uint8Array({ maxLength: 120 }).map((bytes) => Buffer.from(bytes).toString('base64url'));
const utf16Text = anyText.map((text) => Buffer.from(text, 'utf16le').toString('base64'));
const jwtLike = fc
  .tuple(fc.jsonValue(), fc.jsonValue(), fc.string({ maxLength: 20 }))
  .map(([header, payload, signature]) => ['eyJ' + Buffer.from(JSON.stringify(header) ?? '').toString('base64url'), Buffer.from(JSON.stringify(payload) ?? '').toString('base64url'), signature].join('.'));
const credentials = fc.oneof(anyText, base64Bytes, base64urlBytes, utf16Text, jwtLike);
const value = fc.oneof(anyText, fc.tuple(scheme, credentials).map(([s, c]) => s + c));
const expected: fc.Arbitrary<Expected> = fc.oneof(
  fc.record({ kind: fc.constant('password' as const), email: anyText, password: anyText }),
  fc.record({ kind: fc.constant('api-token' as const), email: anyText, token: anyText }),
  fc.record({ kind: fc.constant('oauth' as const), token: anyText }),
  fc.record({ kind: fc.constant('api-key' as const), header: anyText, value: anyText }),
  fc.record({ kind: fc.constant('header' as const), value }),
);
const input = fc.record(
  {
    headers: fc.array(fc.tuple(headerName, value), { maxLength: 6 }),
    url: fc.oneof(anyText, fc.webUrl({ withQueryParameters: true, withFragments: true })),
    body: fc.oneof(anyText, fc.json()),
    contentType: fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', ''),
    expected,
    now: fc.oneof(fc.integer(), fc.double()),
  },
  { requiredKeys: ['headers'] },
);

function wellFormed(analysis: Analysis): void {
  expect(typeof analysis.present).toBe('boolean');
  for (const f of analysis.findings) {
    expect(codes.has(f.code)).toBe(true);
    expect(f.message.length).toBeGreaterThan(0);
  }
  // Serialisable as the API returns it.
  expect(() => JSON.stringify(analysis)).not.toThrow();
}

describe('analyze on arbitrary input', () => {
  it('never throws and always returns known finding codes', () => {
    fc.assert(
      fc.property(input, (request) => {
        wellFormed(analyze(request));
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary bytes after Basic, read as Node reads header bytes (latin1)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        wellFormed(analyze({ headers: [['Authorization', `Basic ${Buffer.from(bytes).toString('latin1')}`]] }));
        wellFormed(analyze({ headers: [['Authorization', `Basic ${Buffer.from(bytes).toString('base64')}`]] }));
      }),
      { numRuns: 1000 },
    );
  });
});
