import { timingSafeEqual } from 'node:crypto';
import type { AuthorizationReading } from '../../shared/auth/read-authorization.ts';
import type { Expected, HeaderPair } from '../../shared/auth/types.ts';
import { expectedSecretLabel } from '../../shared/auth/expected.ts';
import type { RuleSecrets } from './secrets.ts';

/** Known mistakes that can be undone on a received secret, and how to say each. */
const repairs: [(secret: string) => string, string][] = [
  [(secret) => secret.replace(/[\r\n]+$/, ''), 'once the trailing line break is removed'],
  [(secret) => secret.trim(), 'once the surrounding whitespace is removed'],
  [(secret) => secret.replace(/^(["'])(.*)\1$/s, '$2'), 'once the quotes around it are removed'],
  [(secret) => secret.replace(/^b'(.*)'$/s, '$1'), "once Python's b'…' around it is removed"],
];

function header(headers: HeaderPair[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([key]) => key.toLowerCase() === lower)?.[1];
}

/**
 * Whether a request carries the expected credentials, matched by the keyed hash kept of the
 * secret (the plaintext is never stored); when not, why, without the secret: the scheme or email
 * differs, or the secret would match once a known mistake is undone (each repaired candidate is
 * hashed and compared). `authorization` reads the request's Authorization header, once per capture
 * however many conditions ask.
 */
export function checkCredentials(expected: Expected, keptHash: string, headers: HeaderPair[], secrets: RuleSecrets, authorization: () => AuthorizationReading): { holds: boolean; reason: string } {
  const label = expectedSecretLabel(expected);
  const kept = Buffer.from(keptHash, 'hex');
  const same = (secret: string) => timingSafeEqual(Buffer.from(secrets.hash(secret), 'hex'), kept);
  const nearMiss = (secret: string): string | undefined => repairs.find(([repair]) => repair(secret) !== secret && same(repair(secret)))?.[1];
  const judged = (secret: string | undefined, prefix = ''): { holds: boolean; reason: string } => {
    if (secret === undefined) return { holds: false, reason: `no ${label} was sent` };
    if (same(secret)) return prefix ? { holds: false, reason: prefix } : { holds: true, reason: `the ${label} matches` };
    const repair = nearMiss(secret);
    return { holds: false, reason: repair ? `the ${label} matches ${repair}` : `the ${label} differs` };
  };
  if (expected.kind === 'api-key') return judged(header(headers, expected.header));
  const sent = header(headers, 'authorization');
  if (sent === undefined) return { holds: false, reason: 'no Authorization header was sent' };
  if (expected.kind === 'header') return judged(sent);
  const reading = authorization();
  if (expected.kind === 'oauth') {
    if (!reading.bearer) return { holds: false, reason: 'the scheme differs: an OAuth token is sent as "Bearer <token>"' };
    return judged(reading.bearer.token);
  }
  const basic = reading.basic;
  if (!basic) return { holds: false, reason: 'the scheme differs: expected Basic credentials' };
  if (basic.email.toLowerCase() !== expected.email.toLowerCase()) return { holds: false, reason: 'the email differs' };
  if (expected.kind === 'api-token' && basic.kind !== 'api-token') {
    return same(basic.secret) ? { holds: false, reason: 'the API token matches once "/token" is added after the email' } : { holds: false, reason: 'the email lacks "/token" and the API token differs' };
  }
  if (expected.kind === 'password' && basic.kind !== 'password') return { holds: false, reason: 'an API token was sent ("/token" after the email) where a password is expected' };
  const encoded = basic.encoding === 'utf-8' ? '' : `the ${label} matches, but the credentials were encoded as ${basic.encoding.toUpperCase()} before base64 (PowerShell's Unicode); encode them as UTF-8`;
  return judged(basic.secret, encoded);
}
