import { editDistance } from './edit-distance.ts';
import { finding, type CodedFinding } from './findings.ts';
import { isAuthorizationName } from './header-name.ts';
import type { HeaderPair } from './types.ts';

/** Credentials anywhere but the Authorization header: the URL, the body, a misnamed header. */

// Parameter names that carry credentials, compared in lower case with '-' read as '_'.
const credentialNames = new Set([
  'api_token', 'apitoken', 'access_token', 'accesstoken', 'oauth_token', 'auth_token', 'token',
  'password', 'passwd', 'pwd', 'api_key', 'apikey', 'authorization',
]);

const maxBodyChars = 64 * 1024;

// Text that every name above holds in some letter case; the u flag makes U+212A (the Kelvin
// sign, a "k" in lower case) match "k" as well. A URL can also spell a name with percent escapes
// or split it with tabs and line breaks, which URL parsing drops; a body, with JSON escapes.
const urlMayNameCredentials = /token|passw|pwd|key|authorization|[%\t\n\r]/iu;
const bodyMayNameCredentials = /token|passw|pwd|key|authorization|[%\\]/iu;

function credentialName(name: string): boolean {
  return credentialNames.has(name.toLowerCase().replace(/-/g, '_'));
}

function list(names: string[]): string {
  const quoted = [...new Set(names)].map((n) => `"${n}"`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}` : (quoted[0] ?? '');
}

// With a header sent as well, such fields are more likely ordinary data (an upload token, a new
// password) than credentials, so they are only mentioned.
function severityFor(hasAuthorization: boolean) {
  return hasAuthorization ? ('info' as const) : ('error' as const);
}

/**
 * Credentials in the URL: userinfo (`https://me:pw@…`) or query parameters such as `api_token`.
 *
 * @example
 * credentialsInUrl('/api/v2/tickets.json?api_token=abc', false)?.severity; // 'error'
 */
export function credentialsInUrl(url: string, hasAuthorization: boolean): CodedFinding | undefined {
  // Credentials need userinfo or a query naming one: most URLs are settled without parsing.
  if (!url.includes('@') && (!url.includes('?') || !urlMayNameCredentials.test(url))) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://authbin.invalid');
  } catch {
    return undefined;
  }
  const where: string[] = [];
  if (parsed.username !== '' || parsed.password !== '') where.push('user and password before the host (https://user:password@…)');
  const names = [...parsed.searchParams.keys()].filter(credentialName);
  if (names.length > 0) where.push(`the query parameter${new Set(names).size > 1 ? 's' : ''} ${list(names)}`);
  if (where.length === 0) return undefined;
  return finding(
    'credentials-in-url',
    severityFor(hasAuthorization),
    `The URL carries credentials in ${where.join(' and ')}. Zendesk ignores credentials in the URL; they also end up in logs and browser history.`,
    'Send them in the Authorization header instead, and remove them from the URL.',
  );
}

function bodyFieldNames(body: string, contentType: string | undefined): string[] {
  const type = (contentType ?? '').toLowerCase();
  const trimmed = body.trimStart();
  if (type.includes('json') || (type === '' && trimmed.startsWith('{'))) {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return [];
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
    const top = value as Record<string, unknown>;
    // An OAuth token request legitimately carries a password or code in its body.
    if ('grant_type' in top) return [];
    const nested = ['auth', 'credentials', 'authentication']
      .map((key) => top[key])
      .filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v))
      .flatMap((v) => Object.keys(v));
    return [...Object.keys(top), ...nested].filter(credentialName);
  }
  if (type.includes('x-www-form-urlencoded') || (type === '' && /^[\w.-]+=[^&]*(&[\w.-]+=[^&]*)*$/.test(trimmed))) {
    const params = new URLSearchParams(body);
    if (params.has('grant_type')) return [];
    return [...params.keys()].filter(credentialName);
  }
  return [];
}

/**
 * Credentials as JSON or form fields of the body (`{"api_token": …}`, `password=…`); bodies over
 * 64 KB are not searched.
 *
 * @example
 * credentialsInBody('{"password":"x"}', 'application/json', false)?.code; // 'credentials-in-body'
 */
export function credentialsInBody(body: string, contentType: string | undefined, hasAuthorization: boolean): CodedFinding | undefined {
  if (body === '' || body.length > maxBodyChars || !bodyMayNameCredentials.test(body)) return undefined;
  const names = bodyFieldNames(body, contentType);
  if (names.length === 0) return undefined;
  return finding(
    'credentials-in-body',
    severityFor(hasAuthorization),
    `The body has the field${new Set(names).size > 1 ? 's' : ''} ${list(names)}. Zendesk does not read credentials from the body.`,
    'Send the credentials in the Authorization header.',
  );
}

function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '');
}

const authorizationPieces = /auth|utho|thor|hori|oriz|riza|izat|zati|atio|tion/;

// Header names repeat from request to request (Host, User-Agent…), so each is judged once; the
// bound keeps a stream of made-up names from growing the table.
const nearAuthorizationVerdicts = new Map<string, boolean>();

function nearAuthorization(name: string): boolean {
  let verdict = nearAuthorizationVerdicts.get(name);
  if (verdict === undefined) {
    if (nearAuthorizationVerdicts.size >= 1000) nearAuthorizationVerdicts.clear();
    verdict = judgeName(name);
    nearAuthorizationVerdicts.set(name, verdict);
  }
  return verdict;
}

function judgeName(name: string): boolean {
  const letters = normalizedName(name).replace(/^(x|http)/, '');
  if (['auth', 'authorisation', 'authentication', 'authorizationheader', 'authheader', 'authorization'].includes(letters)) return true;
  // A misspelling of "authorization", such as "Authorizaton" or "Authorzation". Two edits leave
  // four letters in a row untouched, so names sharing no four letters with it are skipped cheaply.
  if (letters.length < 11 || letters.length > 15 || !authorizationPieces.test(letters)) return false;
  return editDistance(letters, 'authorization') <= 2;
}

/**
 * Headers that were meant as `Authorization` but are named otherwise: `Authorisation`,
 * `X-Authorization`, `Auth`, `HTTP_AUTHORIZATION`… `allowed` names a custom header the sender
 * was configured to use (a webhook's API key header), which is never flagged.
 *
 * @example
 * misnamedAuthorization([['Authorisation', 'Basic …']], false)?.code; // 'nonstandard-header'
 */
export function misnamedAuthorization(headers: readonly HeaderPair[], hasAuthorization: boolean, allowed?: string): CodedFinding | undefined {
  const allowedLower = allowed?.toLowerCase();
  const names: string[] = [];
  for (const [name] of headers) {
    if (nearAuthorization(name) && !isAuthorizationName(name) && name.toLowerCase() !== allowedLower) names.push(name);
  }
  if (names.length === 0) return undefined;
  return finding(
    'nonstandard-header',
    hasAuthorization ? 'warning' : 'error',
    `Credentials seem to be sent in ${list(names)} instead of "Authorization"; servers read only the header named exactly "Authorization".`,
    'Rename the header to "Authorization".',
  );
}
