import type { Finding, Severity } from './types.ts';

/**
 * Every code the analysis can report, grouped by where the problem sits: the request, the
 * header's syntax, the base64 and its bytes, the decoded credentials, Bearer tokens.
 *
 * @example
 * findingCodes.includes('utf16'); // true
 */
export const findingCodes = [
  'missing',
  'multiple-headers',
  'nonstandard-header',
  'credentials-in-url',
  'credentials-in-body',
  'unknown-scheme',
  'scheme-case',
  'doubled-scheme',
  'whitespace',
  'quoted',
  'python-bytes',
  'placeholder',
  'unresolved-variable',
  'invalid-base64',
  'base64url',
  'missing-padding',
  'double-encoded',
  'utf16',
  'latin1',
  'non-ascii',
  'trailing-newline',
  'surrounding-whitespace',
  'invisible-chars',
  'no-colon',
  'extra-colon',
  'empty-secret',
  'not-an-email',
  'token-suffix-missing',
  'token-suffix-malformed',
  'bearer-looks-basic',
  'basic-looks-bearer',
  'jwt-expired',
  'jwt-not-yet-valid',
  'jwt-alg-none',
] as const;

export type FindingCode = (typeof findingCodes)[number];

/** A finding whose code is one of {@link findingCodes}. */
export interface CodedFinding extends Finding {
  code: FindingCode;
}

/**
 * Builds a finding; `fix` is left out when there is nothing to do.
 *
 * @example
 * finding('scheme-case', 'info', 'The scheme is written "basic".');
 */
export function finding(code: FindingCode, severity: Severity, message: string, fix?: string): CodedFinding {
  return fix === undefined ? { code, severity, message } : { code, severity, message, fix };
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Errors first, then warnings, then info, each group in the order found.
 *
 * @example
 * sortFindings([info, error]); // [error, info]
 */
export function sortFindings<T extends Finding>(findings: readonly T[]): T[] {
  return [...findings].sort((a, b) => severityRank[a.severity] - severityRank[b.severity]);
}
