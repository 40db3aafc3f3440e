import { encodeBase64 } from './base64.ts';
import { describePastedCharacters, findPastedCharacters } from './characters.ts';
import { finding, type CodedFinding } from './findings.ts';
import { findPlaceholder, templateFinding } from './placeholders.ts';
import { readAuthorization, type AuthorizationReading } from './read-authorization.ts';
import { utf8Bytes } from './text-encoding.ts';
import type { Expected } from './types.ts';

/** A header as name and value. */
export interface HeaderLine {
  name: string;
  value: string;
}

/**
 * The header that carries the expected credentials, built the standard way: Basic with the
 * base64 of UTF-8 `email:password` or `email/token:api_token`, Bearer with the OAuth token, the
 * API key's own header, or the given header value as is.
 *
 * @example
 * canonicalHeader({ kind: 'api-token', email: 'jdoe@example.com', token: 'abc' });
 * // { name: 'Authorization', value: 'Basic amRvZUBleGFtcGxlLmNvbS90b2tlbjphYmM=' }
 */
export function canonicalHeader(expected: Expected): HeaderLine {
  const authorization = (value: string): HeaderLine => ({ name: 'Authorization', value });
  switch (expected.kind) {
    case 'password':
      return authorization(`Basic ${encodeBase64(utf8Bytes(`${expected.email}:${expected.password}`))}`);
    case 'api-token':
      return authorization(`Basic ${encodeBase64(utf8Bytes(`${expected.email}/token:${expected.token}`))}`);
    case 'oauth':
      return authorization(`Bearer ${expected.token}`);
    case 'api-key':
      return { name: expected.header.trim(), value: expected.value };
    case 'header':
      return authorization(expected.value.replace(/^\s*authorization\s*:[ \t]*/i, ''));
  }
}

/**
 * The header of the expected credentials ({@link canonicalHeader}) read as a received one is, so
 * that both can be compared part by part. Nothing of it is kept between calls: expected secrets
 * are the user's, held no longer than the call that compares them.
 *
 * @example
 * readExpected({ kind: 'password', email: 'me@x.com', password: 'pw' }, Date.now()).basic?.secret; // 'pw'
 */
export function readExpected(expected: Expected, now: number): AuthorizationReading {
  return readAuthorization(canonicalHeader(expected).value, now);
}

/**
 * What a person calls the secret of an expected credential.
 *
 * @example
 * expectedSecretLabel({ kind: 'oauth', token: 't' }); // 'OAuth token'
 */
export function expectedSecretLabel(expected: Expected): string {
  const labels: Record<Expected['kind'], string> = { password: 'password', 'api-token': 'API token', oauth: 'OAuth token', 'api-key': 'API key', header: 'credentials' };
  return labels[expected.kind];
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function apiKeyFindings(value: string): CodedFinding[] {
  const findings: CodedFinding[] = [];
  if (/^\s|\s$/.test(value)) findings.push(finding('surrounding-whitespace', 'warning', 'The API key starts or ends with whitespace, which HTTP strips from header values.', 'Remove the spaces around the API key.'));
  const pasted = findPastedCharacters(value);
  if (pasted.length > 0) findings.push(finding('invisible-chars', 'error', `The API key contains characters that were probably pasted from a document: ${describePastedCharacters(pasted)}.`, 'Type the API key again.'));
  const placeholder = findPlaceholder(value);
  if (placeholder !== undefined) findings.push(templateFinding('The API key', placeholder, 'Use the real API key.'));
  return findings;
}

const emailWithSuffix = /\/token\s*$/i;

/**
 * Mistakes in the credentials the user expected (a pasted token with a trailing space is theirs to
 * see too). Messages start with "In what you expected:"; only errors and warnings are kept.
 * `wanted` is {@link readExpected}'s reading, when the caller already has it.
 *
 * @example
 * expectedFindings({ kind: 'api-token', email: 'me@x.com', token: 'abc ' }, Date.now())[0]?.code;
 * // 'surrounding-whitespace'
 */
export function expectedFindings(expected: Expected, now: number, wanted?: AuthorizationReading): CodedFinding[] {
  let findings: CodedFinding[];
  if (expected.kind === 'api-key') {
    findings = apiKeyFindings(expected.value);
  } else {
    // A copy: the reading may be shared with the comparison.
    findings = [...(wanted ?? readExpected(expected, now)).findings];
    if (expected.kind === 'api-token' && emailWithSuffix.test(expected.email)) {
      findings.push(finding('token-suffix-malformed', 'error', 'The email already ends in "/token"; authbin adds "/token" itself, so give the bare email address.', 'Remove "/token" from the email.'));
    }
  }
  const kept: CodedFinding[] = [];
  for (const f of findings) if (f.severity !== 'info') kept.push({ ...f, message: `In what you expected: ${lowerFirst(f.message)}` });
  return kept;
}
