import { describe, expect, it } from 'vitest';
import type { SignatureReport } from '../../../shared/signatures/index.ts';
import { describeAge, rowSignature } from '../../../web/lib/signature-verdict.ts';

const report = (scheme: SignatureReport['scheme'], status: SignatureReport['status'], findings: SignatureReport['findings'] = []): SignatureReport => ({ scheme, headers: [], status, findings });
const mismatch = { code: 'signature-mismatch', severity: 'error' as const, message: "The signature doesn't match this secret." };
const stale = { code: 'timestamp-outside-tolerance', severity: 'warning' as const, message: 'The timestamp is 10 min old.' };

describe('rowSignature', () => {
  it('calls a request without signature headers unsigned', () => {
    expect(rowSignature([])).toMatchObject({ verdict: 'unsigned', label: 'unsigned' });
  });

  it('is valid when any signature matches, naming its sender', () => {
    expect(rowSignature([report('github', 'invalid', [mismatch]), report('intercom', 'valid')])).toMatchObject({ verdict: 'valid', label: 'Intercom', caveat: false });
  });

  it('marks a valid signature with a problem of its own (a stale timestamp) as a caveat', () => {
    expect(rowSignature([report('stripe', 'valid', [stale])])).toMatchObject({ verdict: 'valid', caveat: true, detail: 'The timestamp is 10 min old.' });
  });

  it('is invalid with the first error as the detail when none matches', () => {
    expect(rowSignature([report('github', 'invalid', [mismatch]), report('intercom', 'malformed')])).toEqual({
      verdict: 'invalid',
      label: 'GitHub / Intercom',
      caveat: false,
      detail: mismatch.message,
    });
  });

  it('is unchecked when nothing could be checked (a truncated body)', () => {
    expect(rowSignature([report('zendesk', 'unverified')])).toMatchObject({ verdict: 'unchecked', label: 'Zendesk' });
  });
});

describe('describeAge', () => {
  it('says how long before arrival the request was signed, or that the sender clock runs ahead', () => {
    expect(describeAge(0.4)).toBe('signed as it arrived');
    expect(describeAge(3)).toBe('signed 3 s before it arrived');
    expect(describeAge(600)).toBe('signed 10 min before it arrived');
    expect(describeAge(7200)).toBe('signed 2 h before it arrived');
    expect(describeAge(-90)).toBe('dated 90 s after it arrived');
    expect(describeAge(3 * 86_400)).toBe('signed 3 d before it arrived');
  });
});
