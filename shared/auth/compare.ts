import { readUser } from './credentials.ts';
import { describeSecretDifference, describeVisibleDifference } from './describe-difference.ts';
import { expectedSecretLabel, readExpected } from './expected.ts';
import type { FindingCode } from './findings.ts';
import { isAuthorizationName } from './header-name.ts';
import type { KnownScheme } from './header-value.ts';
import { readAuthorization, type AuthorizationReading } from './read-authorization.ts';
import type { BasicCredentials, Comparison, DifferencePart, Expected, HeaderPair } from './types.ts';

type Difference = Comparison['differences'][number];

const schemeNames: Record<KnownScheme, string> = { basic: 'Basic', bearer: 'Bearer' };

function difference(part: DifferencePart, message: string | undefined): Difference[] {
  return message === undefined ? [] : [{ part, message }];
}

// Why the credentials decode to what was expected and still are not the expected header.
const encodingCauses: [code: FindingCode, cause: string][] = [
  ['utf16', 'they were encoded as UTF-16 instead of UTF-8'],
  ['latin1', 'they were encoded as ISO-8859-1 instead of UTF-8'],
  ['double-encoded', 'they were base64-encoded twice'],
  ['base64url', 'they use the base64url alphabet instead of standard base64'],
  ['missing-padding', "the base64 lacks its '=' padding"],
  ['invalid-base64', 'they are not valid base64 as sent'],
  ['doubled-scheme', 'the scheme is repeated'],
  ['quoted', 'they are wrapped in quotes'],
  ['python-bytes', "they are wrapped in Python's b'…' (bytes turned into text)"],
  ['whitespace', 'spaces or line breaks were added to them'],
  ['invisible-chars', 'invisible characters were pasted into them'],
];

/**
 * Why credentials that decode to the expected ones are still not the expected header, in one
 * sentence without the secret; `expectedCredentials` is the header's value after the scheme as it
 * should be sent. The rules' `credentials` condition says the same.
 *
 * @example
 * describeRewrittenCredentials(readAuthorization('Basic "bWU6cHc="', Date.now()), 'bWU6cHc='); // 'the credentials are the ones expected, but they are wrapped in quotes'
 */
export function describeRewrittenCredentials(reading: AuthorizationReading, expectedCredentials: string): string {
  const codes = new Set(reading.findings.map((f) => f.code));
  const causes = encodingCauses.filter(([code]) => codes.has(code)).map(([, cause]) => cause);
  const received = [...reading.parsed.rawCredentials].length;
  const expected = [...expectedCredentials].length;
  return causes.length > 0
    ? `the credentials are the ones expected, but ${causes.join(' and ')}`
    : `the credentials decode to what was expected, but are encoded differently: ${expected} characters expected, ${received} received`;
}

function suffixDifference(expected: BasicCredentials['kind'], received: BasicCredentials): string | undefined {
  if (expected === received.kind) return undefined;
  if (expected === 'password') return 'the user ends in "/token" (an API token login), but a password login was expected';
  const malformed = readUser(received.user).malformedSuffix;
  return malformed !== undefined
    ? `the user should end in "/token" (API token login); received "${malformed.replace(/\s/g, '\u2423')}"`
    : 'the user should end in "/token" (API token login); received no suffix, which makes it a password login';
}

function basicDifferences(expected: BasicCredentials, received: BasicCredentials | undefined, secretLabel: string): Difference[] {
  if (!received) return [{ part: 'value', message: 'the received credentials do not decode to "user:secret", so none of their parts can match' }];
  return [
    ...difference('email', describeVisibleDifference('email', expected.email, received.email)),
    ...difference('token-suffix', suffixDifference(expected.kind, received)),
    ...difference('secret', describeSecretDifference(secretLabel, expected.secret, received.secret)),
  ];
}

function compareAuthorization(reading: AuthorizationReading | undefined, headerCount: number, expected: Expected, wanted: AuthorizationReading): Comparison {
  const wantedScheme = wanted.parsed.scheme;
  const schemeLabel = wantedScheme === 'basic' || wantedScheme === 'bearer' ? schemeNames[wantedScheme] : (wanted.parsed.schemeRaw ?? 'the expected scheme');
  if (!reading) return { match: false, differences: [{ part: 'value', message: `no Authorization header was sent; expected one with the ${schemeLabel} scheme` }] };
  const { parsed } = reading;
  const sameScheme =
    parsed.scheme === wantedScheme && (parsed.scheme !== 'other' || (parsed.schemeRaw ?? '').toLowerCase() === (wanted.parsed.schemeRaw ?? '').toLowerCase());
  const differences: Difference[] = [];
  if (!sameScheme) {
    differences.push({ part: 'scheme', message: `expected the ${schemeLabel} scheme, received ${parsed.schemeRaw === null ? 'no scheme' : `"${parsed.schemeRaw}"`}` });
  }
  const label = expectedSecretLabel(expected);
  if (wanted.basic && wantedScheme === 'basic') {
    differences.push(...basicDifferences(wanted.basic, reading.basic, expected.kind === 'header' ? (wanted.basic.kind === 'api-token' ? 'API token' : 'password') : label));
  } else if (wantedScheme === 'bearer') {
    const token = reading.bearer?.token ?? parsed.credentials;
    differences.push(...difference('secret', describeSecretDifference(expected.kind === 'header' ? 'token' : label, wanted.parsed.credentials, token)));
  } else {
    differences.push(...difference('value', describeSecretDifference(label, wanted.parsed.rawCredentials, parsed.rawCredentials)));
  }
  const match = sameScheme && parsed.rawCredentials === wanted.parsed.rawCredentials && headerCount === 1;
  if (headerCount > 1) differences.push({ part: 'value', message: `${headerCount} Authorization headers were sent; the server may read any one of them` });
  if (!match && differences.length === 0) differences.push({ part: 'value', message: describeRewrittenCredentials(reading, wanted.parsed.rawCredentials) });
  return { match, differences: match ? [] : differences };
}

function compareApiKey(headers: readonly HeaderPair[], expected: Extract<Expected, { kind: 'api-key' }>): Comparison {
  const name = expected.header.trim();
  const sent = headers.filter(([n]) => n.toLowerCase() === name.toLowerCase());
  const first = sent[0];
  if (!first) {
    const elsewhere = headers.find(([, value]) => value === expected.value || value.endsWith(` ${expected.value}`));
    const note = elsewhere ? `; the expected value arrived in the "${elsewhere[0]}" header instead` : '';
    return { match: false, differences: [{ part: 'value', message: `no "${name}" header was sent${note}` }] };
  }
  const differences = difference('value', describeSecretDifference('API key', expected.value, first[1]));
  if (sent.length > 1) differences.push({ part: 'value', message: `${sent.length} "${name}" headers were sent; the server may read any one of them` });
  return { match: differences.length === 0, differences };
}

/**
 * Compares what was received with what the user expected, part by part (scheme, email, `/token`
 * suffix, secret). `match` is true only when the credentials are exactly the expected ones (the
 * scheme's letter case aside); differences never show a secret. `reading` and `wanted` save
 * reading the received and the expected header again when the caller has them.
 *
 * @example
 * compareToExpected([['Authorization', 'Basic bWU6cHc=']], { kind: 'password', email: 'me', password: 'pw' }, Date.now()).match; // true
 */
export function compareToExpected(
  headers: readonly HeaderPair[],
  expected: Expected,
  now: number,
  reading?: AuthorizationReading,
  wanted?: AuthorizationReading,
): Comparison {
  if (expected.kind === 'api-key') return compareApiKey(headers, expected);
  let count = 0;
  let first: HeaderPair | undefined;
  for (const header of headers) {
    if (!isAuthorizationName(header[0])) continue;
    count++;
    first ??= header;
  }
  const received = reading ?? (first ? readAuthorization(first[1], now) : undefined);
  return compareAuthorization(received, count, expected, wanted ?? readExpected(expected, now));
}
