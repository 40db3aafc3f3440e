import { describePastedCharacters, findPastedCharacters, hasNonAscii, withoutPastedCharacters } from './characters.ts';
import { finding, type CodedFinding } from './findings.ts';
import { findPlaceholder, templateFinding } from './placeholders.ts';
import type { CredentialEncoding } from './text-encoding.ts';
import type { BasicCredentials } from './types.ts';

/** The `user:secret` pair inside Basic credentials, before any judgement. */
export interface UserSecret {
  user: string;
  secret: string;
  hasColon: boolean;
}

/**
 * Splits decoded Basic credentials at the first colon (RFC 7617: the user may not contain one).
 *
 * @example
 * splitUserSecret('me@x.com/token:abc'); // { user: 'me@x.com/token', secret: 'abc', hasColon: true }
 */
export function splitUserSecret(decoded: string): UserSecret {
  const colon = decoded.indexOf(':');
  if (colon === -1) return { user: decoded, secret: '', hasColon: false };
  return { user: decoded.slice(0, colon), secret: decoded.slice(colon + 1), hasColon: true };
}

export interface UserReading {
  kind: BasicCredentials['kind'];
  email: string;
  /** The suffix as written when it was meant as `/token` but is not exactly that: `/Token`, `\token`, `/tokens`. */
  malformedSuffix?: string;
}

// `/Token`, `\token`, `/tokens`, `/token `, `//token`, `/api_token`, ` token`, `.token`: all meant as `/token`.
const nearTokenSuffix = /^(.*?)((?:\s*[/\\|.]+\s*|\s+)(?:api[_-]?)?tokens?\s*\/?\s*)$/i;
const tokenPrefix = /^(tokens?\s*[/\\|:]\s*)(.*)$/i;
// Both shapes above spell "token"; a user without it is settled by this one search.
const mentionsToken = /token/i;

/**
 * Reads the user part: `email/token` means an API token login, anything else a password login.
 *
 * @example
 * readUser('me@x.com/token'); // { kind: 'api-token', email: 'me@x.com' }
 * readUser('me@x.com/Token'); // { kind: 'password', email: 'me@x.com', malformedSuffix: '/Token' }
 */
export function readUser(user: string): UserReading {
  if (user.endsWith('/token')) return { kind: 'api-token', email: user.slice(0, -'/token'.length) };
  if (!mentionsToken.test(user)) return { kind: 'password', email: user };
  const near = nearTokenSuffix.exec(user);
  if (near && near[1] !== '') return { kind: 'password', email: near[1] ?? '', malformedSuffix: near[2] ?? '' };
  const before = tokenPrefix.exec(user);
  if (before && (before[2] ?? '').includes('@')) return { kind: 'password', email: before[2] ?? '', malformedSuffix: before[1] ?? '' };
  return { kind: 'password', email: user };
}

const zendeskApiToken = /^[A-Za-z0-9]{40}$/;

/**
 * True for a Zendesk API token's shape: 40 letters and digits.
 *
 * @example
 * looksLikeApiToken('6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv'); // true
 */
export function looksLikeApiToken(value: string): boolean {
  return value.length === 40 && zendeskApiToken.test(value);
}

const emailShape = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

/**
 * Names the secret the way a person would.
 *
 * @example
 * secretLabel('api-token'); // 'API token'
 */
export function secretLabel(kind: BasicCredentials['kind']): string {
  return kind === 'api-token' ? 'API token' : 'password';
}

// Python's str() of a bytes value, as an f-string over bytes writes it.
const bytesText = /^b(['"])[\s\S]*\1$/;

/**
 * Checks decoded Basic credentials for the mistakes people make typing or pasting them: line
 * breaks and spaces around them, pasted characters, a missing or misspelt `/token`, stray colons,
 * template text. Messages never show the secret.
 *
 * @example
 * credentialFindings('me@x.com/token:abc\n').map((f) => f.code); // ['trailing-newline']
 */
export function credentialFindings(decoded: string, encoding: CredentialEncoding = 'utf-8'): CodedFinding[] {
  const findings: CodedFinding[] = [];
  if (decoded.endsWith('\n')) {
    const windows = decoded.endsWith('\r\n');
    findings.push(
      finding(
        'trailing-newline',
        'error',
        `The decoded credentials end with a line break (${windows ? '\\r\\n' : '\\n'}), so the server reads it as the last character of the secret. This is what \`echo\` adds when its output is piped to base64.`,
        "Encode without the line break: printf '%s' 'email/token:api_token' | base64 (or echo -n).",
      ),
    );
  }
  const { user, secret, hasColon } = splitUserSecret(decoded);
  const reading = readUser(user);
  const label = secretLabel(reading.kind);
  if (!hasColon) {
    const onlyToken = looksLikeApiToken(decoded.trim());
    findings.push(
      finding(
        'no-colon',
        'error',
        onlyToken
          ? 'The decoded credentials are a single 40-character value with no colon: it looks like only the API token was encoded, without the email address.'
          : 'The decoded credentials have no colon, so there is no user and secret in them: Basic credentials are "user:secret" before encoding.',
        'Encode "email/token:api_token" (API token) or "email:password" (password), with the colon.',
      ),
    );
  }
  const secretBody = secret.endsWith('\n') ? secret.replace(/\r?\n$/, '') : secret;
  if (hasColon && secretBody === '') {
    findings.push(
      finding(
        'empty-secret',
        'error',
        reading.kind === 'api-token'
          ? 'The API token is empty: nothing follows "email/token:".'
          : 'The secret is empty: nothing follows the colon after the user.',
        'Put the API token (or password) after the colon.',
      ),
    );
  }
  if (hasColon && secretBody.includes(':') && secretBody !== '') {
    const trailing = secretBody.endsWith(':');
    const inToken = reading.kind === 'api-token' || looksLikeApiToken(secretBody.slice(0, -1));
    if (trailing || inToken) {
      findings.push(
        finding(
          'extra-colon',
          inToken ? 'error' : 'warning',
          trailing
            ? `The ${label} ends with an extra colon. This happens when "email/token:api_token" is typed into a client's username field and the password field is left empty: the client adds ":" and an empty password.`
            : `The ${label} contains a colon, which Zendesk API tokens never do: "user:secret" was probably typed where only the user (or only the secret) belongs.`,
          'Put "email/token" in the username field and the API token in the password field, or build the header yourself.',
        ),
      );
    }
  }
  const spaced = [
    ['user', user],
    [label, secretBody],
  ].filter(([, part]) => part !== '' && /^[ \t]|[ \t]$/.test(part ?? ''));
  if (spaced.length > 0) {
    findings.push(
      finding(
        'surrounding-whitespace',
        'error',
        `The ${spaced.map(([name]) => name).join(' and the ')} ${spaced.length > 1 ? 'start or end' : 'starts or ends'} with a space or tab, which the server counts as part of it.`,
        'Remove the spaces around the email, the /token suffix and the secret before encoding.',
      ),
    );
  }
  const pasted = [
    ['user', findPastedCharacters(user)],
    [label, findPastedCharacters(secret)],
  ] as const;
  const pastedParts = pasted.filter(([, found]) => found.length > 0);
  if (pastedParts.length > 0) {
    findings.push(
      finding(
        'invisible-chars',
        'error',
        `The credentials contain characters that were probably pasted from a document or chat: ${pastedParts
          .map(([name, found]) => `${describePastedCharacters(found)} of the ${name}`)
          .join('; ')}.`,
        'Type the value again, or paste it into a plain-text editor first and remove those characters.',
      ),
    );
  }
  // Other encodings get their own finding, which says more.
  if (encoding === 'utf-8' && hasNonAscii(decoded)) {
    findings.push(
      finding(
        'non-ascii',
        'info',
        'The credentials contain characters outside ASCII. They work only when encoded as UTF-8, as this header is.',
      ),
    );
  }
  findings.push(...userFindings(user, reading, secretBody, hasColon));
  const placeholder = findPlaceholder(reading.email) ?? findPlaceholder(secretBody);
  if (placeholder !== undefined) {
    findings.push(templateFinding('The credentials', placeholder, 'Replace the example text with your real email address and API token.'));
  }
  const inBytes = ([['email', reading.email], [label, secretBody]] as const).find(([, part]) => bytesText.test(part));
  if (inBytes) {
    findings.push(
      finding(
        'python-bytes',
        'error',
        `The ${inBytes[0]} inside the credentials is Python's text for a bytes value (b'…'): an f-string or str() over bytes (a token read with open(…, "rb"), or a value already encoded) adds the b'…', which becomes part of the ${inBytes[0]}.`,
        'Put text, not bytes, into the credentials: call .decode() on the bytes first (or read the file in text mode), then encode the whole "email/token:api_token" once.',
      ),
    );
  }
  return findings;
}

function userFindings(user: string, reading: UserReading, secret: string, hasColon: boolean): CodedFinding[] {
  const findings: CodedFinding[] = [];
  const email = withoutPastedCharacters(reading.email).trim();
  if (hasColon && !emailShape.test(email) && findPlaceholder(email) === undefined) {
    findings.push(
      finding(
        'not-an-email',
        'warning',
        email === ''
          ? 'The user part is empty. Zendesk logs in by email address.'
          : `The user "${email}" is not an email address. Zendesk logs in by email address, not by user name.`,
        'Use the email address of the Zendesk user the credentials belong to.',
      ),
    );
  }
  if (reading.malformedSuffix !== undefined) {
    findings.push(
      finding(
        'token-suffix-malformed',
        'error',
        `The user ends in "${reading.malformedSuffix.replace(/\s/g, '\u2423')}" instead of exactly "/token", so Zendesk treats the API token as a password.`,
        'Write the user as "email/token": a forward slash and "token" in lower case, with no spaces.',
      ),
    );
  } else if (secret.startsWith('token:') && looksLikeApiToken(secret.slice('token:'.length).trim())) {
    findings.push(
      finding(
        'token-suffix-malformed',
        'error',
        'The credentials read "email:token:api_token": the "/token" suffix was written with a colon, so the user is the bare email and the password starts with "token:".',
        'Write "email/token:api_token" with a forward slash before "token".',
      ),
    );
  } else if (reading.kind === 'password' && looksLikeApiToken(secret.trim())) {
    findings.push(
      finding(
        'token-suffix-missing',
        'error',
        `The secret looks like a Zendesk API token (40 letters and digits) but the user "${user}" has no "/token" suffix, so Zendesk treats it as a password login, which fails when password access is off.`,
        'Put "/token" after the email: "email/token:api_token".',
      ),
    );
  }
  return findings;
}
