import { findPastedCharacters } from '../../shared/auth/characters.ts';
import type { Analysis, BasicCredentials, BearerCredentials, Expected, Finding } from '../../shared/auth/types.ts';

/** A string as a quoted literal with line breaks, control and invisible characters spelt out. */
export function printable(text: string): string {
  let quoted = JSON.stringify(text);
  for (const { codePoint } of findPastedCharacters(text)) {
    quoted = quoted.replaceAll(String.fromCodePoint(codePoint), `\\u${codePoint.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  return quoted;
}

/** A secret as `••••••••2akv (40 characters)`: the end only when there is enough left hidden. */
export function masked(secret: string, reveal: boolean): string {
  const length = [...secret].length;
  if (reveal) return `${printable(secret)} (${length} characters)`;
  // The last four characters help tell tokens apart; shown only when at least twelve stay hidden.
  const tail = length >= 16 ? printable([...secret].slice(-4).join('')).slice(1, -1) : '';
  return `••••••••${tail} (${length} character${length === 1 ? '' : 's'})`;
}

function field(name: string, value: string): string {
  return `  ${name.padEnd(9)} ${value}\n`;
}

function basicLines(basic: BasicCredentials, reveal: boolean): string {
  const label = basic.kind === 'api-token' ? 'API token' : 'password';
  let out = field('login', basic.kind === 'api-token' ? 'API token (email/token)' : 'password (email:password)');
  out += field('user', printable(basic.user));
  if (basic.email !== basic.user) out += field('email', printable(basic.email));
  out += field(label === 'API token' ? 'token' : 'password', masked(basic.secret, reveal));
  if (basic.encoding !== 'utf-8') out += field('encoding', `${basic.encoding.toUpperCase()} (should be UTF-8)`);
  return out;
}

function bearerLines(bearer: BearerCredentials, reveal: boolean): string {
  let out = field('token', masked(bearer.token, reveal));
  const jwt = bearer.jwt;
  if (!jwt) return out;
  out += field('JWT', `alg ${String(jwt.header.alg ?? '(none given)')}`);
  if (jwt.issuedAt) out += field('issued', jwt.issuedAt);
  if (jwt.expiresAt) out += field('expires', `${jwt.expiresAt}${jwt.expired ? ' (expired)' : ''}`);
  out += field('header', JSON.stringify(jwt.header));
  out += field('payload', JSON.stringify(jwt.payload));
  return out;
}

function findingLines(findings: readonly Finding[]): string {
  if (findings.length === 0) return '✓ No problems found.\n';
  const counts = (['error', 'warning', 'info'] as const)
    .map((severity) => [severity, findings.filter((f) => f.severity === severity).length] as const)
    .filter(([, n]) => n > 0)
    .map(([severity, n]) => `${n} ${severity}${n === 1 ? '' : severity === 'info' ? '' : 's'}`);
  let out = `${findings.some((f) => f.severity === 'error') ? '✗' : '!'} ${counts.join(', ')}\n`;
  for (const f of findings) {
    out += `  ${f.severity.padEnd(7)} ${f.code}: ${f.message}\n`;
    if (f.fix) out += `  ${''.padEnd(7)} Fix: ${f.fix}\n`;
  }
  return out;
}

const expectedNames: Record<Expected['kind'], string> = {
  password: 'the expected password login',
  'api-token': 'the expected API token',
  oauth: 'the expected OAuth token',
  'api-key': 'the expected API key',
  header: 'the expected header',
};

/**
 * The analysis as a person reads it in a terminal: what was sent (secrets masked unless
 * `reveal`), every finding with its fix, and the comparison.
 */
export function formatAnalysis(analysis: Analysis, options: { reveal: boolean; expected?: Expected }): string {
  let out = '';
  if (analysis.present) {
    const scheme = analysis.schemeRaw ?? (analysis.scheme === 'other' ? '(no scheme)' : '');
    out += `Authorization: ${scheme}${analysis.scheme === 'other' ? ' (not Basic or Bearer)' : ''}\n`;
    if (analysis.basic) out += basicLines(analysis.basic, options.reveal);
    if (analysis.bearer) out += bearerLines(analysis.bearer, options.reveal);
  } else {
    out += 'No Authorization header.\n';
  }
  out += '\n' + findingLines(analysis.findings);
  const comparison = analysis.comparison;
  if (comparison && options.expected) {
    out += `\nCompared with ${expectedNames[options.expected.kind]}: ${comparison.match ? 'MATCH ✓' : 'DIFFERENT ✗'}\n`;
    for (const d of comparison.differences) out += `  - ${d.part}: ${d.message}\n`;
    if (!comparison.match) out += '\nRun again with --snippets to print the correct header and code that sends it.\n';
  }
  return out;
}
