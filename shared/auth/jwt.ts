import { readBase64 } from './base64.ts';
import { finding, type CodedFinding } from './findings.ts';
import type { JwtInfo } from './types.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function jsonObject(segment: string): Record<string, unknown> | undefined {
  const bytes = readBase64(segment).bytes;
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(strictUtf8.decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// NumericDate (RFC 7519): seconds since the epoch; ignored when absent or out of Date's range.
function instant(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const ms = value * 1000;
  return Math.abs(ms) <= 8.64e15 ? ms : undefined;
}

/**
 * Decodes a JSON Web Token's header and payload (signature not checked: authbin does not hold the
 * key) and reads its times against `now` (ms). `undefined` when `token` is not a JWT.
 *
 * @example
 * readJwt('eyJhbGciOiJub25lIn0.eyJleHAiOjB9.', Date.now())?.expired; // true
 */
export function readJwt(token: string, now: number): JwtInfo | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !token.startsWith('eyJ')) return undefined;
  const header = jsonObject(parts[0] ?? '');
  const payload = jsonObject(parts[1] ?? '');
  if (!header || !payload || (typeof header.alg !== 'string' && typeof header.typ !== 'string')) return undefined;
  const info: JwtInfo = { header, payload };
  const issued = instant(payload.iat);
  const expires = instant(payload.exp);
  if (issued !== undefined) info.issuedAt = new Date(issued).toISOString();
  if (expires !== undefined) {
    info.expiresAt = new Date(expires).toISOString();
    info.expired = expires <= now;
  }
  return info;
}

/**
 * "3 hours", "2 days": a distance in time as a person says it.
 *
 * @example
 * humanDuration(150_000); // '2 minutes'
 */
export function humanDuration(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  const units: [number, string][] = [[31_536_000, 'year'], [86_400, 'day'], [3_600, 'hour'], [60, 'minute'], [1, 'second']];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const count = Math.floor(seconds / size);
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return '0 seconds';
}

/**
 * What is wrong with a JWT used as a Bearer token: expired, not yet valid, unsigned.
 *
 * @example
 * jwtFindings(readJwt(token, now)!, now).map((f) => f.code); // ['jwt-expired']
 */
export function jwtFindings(jwt: JwtInfo, now: number): CodedFinding[] {
  const findings: CodedFinding[] = [];
  const expires = instant(jwt.payload.exp);
  if (expires !== undefined && expires <= now) {
    findings.push(
      finding(
        'jwt-expired',
        'error',
        `The Bearer token is a JWT that expired ${humanDuration(now - expires)} ago (at ${jwt.expiresAt}). Short-lived tokens such as SSO JWTs are not API credentials.`,
        'Get a new token, or use a Zendesk API token (Basic, email/token) or an OAuth access token for API calls.',
      ),
    );
  }
  const notBefore = instant(jwt.payload.nbf);
  if (notBefore !== undefined && notBefore > now) {
    findings.push(
      finding(
        'jwt-not-yet-valid',
        'error',
        `The Bearer token is a JWT that is not valid until ${new Date(notBefore).toISOString()}, ${humanDuration(notBefore - now)} from now: its "nbf" is in the future, or the clock of the machine that made it is ahead.`,
        "Check the issuing machine's clock, or wait until the token becomes valid.",
      ),
    );
  }
  if (typeof jwt.header.alg === 'string' && jwt.header.alg.toLowerCase() === 'none') {
    findings.push(
      finding(
        'jwt-alg-none',
        'error',
        'The Bearer token is an unsigned JWT ("alg": "none"). No server should accept it, since anyone can write one.',
        'Use a token signed by the service that issues it.',
      ),
    );
  }
  return findings;
}
