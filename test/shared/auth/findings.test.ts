import { describe, expect, it } from 'vitest';
import { analyze, findingCodes } from '../../../shared/auth/index.ts';
import { findingCases } from './finding-cases.ts';
import { docToken } from './make-credentials.ts';

describe('every finding code', () => {
  it.each(findingCodes)('%s has at least two real inputs', (code) => {
    expect(findingCases[code].length).toBeGreaterThanOrEqual(2);
  });
});

describe.each(findingCodes)('%s', (code) => {
  it.each(findingCases[code].map((c) => [c.name, c] as const))('is reported for %s', (_name, testCase) => {
    const analysis = analyze(testCase.input);
    const found = analysis.findings.find((f) => f.code === code);
    expect(found, `codes found: ${analysis.findings.map((f) => f.code).join(', ')}`).toBeDefined();
    expect(found?.severity).toBe(testCase.severity);
    if (testCase.says) expect(`${found?.message} ${found?.fix ?? ''}`).toMatch(testCase.says);
    // A finding is pasted to customers: it must never carry the secret.
    for (const f of analysis.findings) expect(`${f.message} ${f.fix ?? ''}`).not.toContain(docToken);
  });
});

describe('findings order', () => {
  it('lists errors, then warnings, then info, whatever order they were found in', () => {
    // Found in this order: scheme case (info), spacing (warning), then the decoded user (error, warning).
    const analysis = analyze({ headers: [['Authorization', `basic  ${Buffer.from('jdoe/Token:s3cret').toString('base64')}`]] });
    expect(analysis.findings.map((f) => `${f.severity} ${f.code}`)).toEqual([
      'error token-suffix-malformed',
      'warning whitespace',
      'warning not-an-email',
      'info scheme-case',
    ]);
  });
});
