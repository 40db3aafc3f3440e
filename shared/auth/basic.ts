import { isStrictBase64, readBase64, type Base64Reading } from './base64.ts';
import { characterName } from './characters.ts';
import { credentialFindings, looksLikeApiToken, readUser, secretLabel, splitUserSecret } from './credentials.ts';
import { finding, type CodedFinding } from './findings.ts';
import { findPlaceholder, templateFinding } from './placeholders.ts';
import { decodeCredentialBytes, type DecodedText } from './text-encoding.ts';
import type { BasicCredentials } from './types.ts';

export interface BasicReading {
  /** The credentials as meant (through UTF-16, double encoding…); absent when they cannot be read. */
  basic?: BasicCredentials;
  /** Set when the value is not credentials but looks like a Bearer token sent under Basic. */
  tokenLike?: string;
  findings: CodedFinding[];
}

const jwtShape = /^eyJ[\w-]*\.[\w-]*\.[\w-]*$/;
const encodeFix = "Encode the text as UTF-8, then base64: printf '%s' 'email/token:api_token' | base64";

/**
 * Turns decoded credentials text into the `basic` part of the analysis.
 *
 * @example
 * basicCredentials({ encoding: 'utf-8', text: 'me@x.com/token:abc' }).kind; // 'api-token'
 */
export function basicCredentials(decoded: DecodedText): BasicCredentials {
  const { user, secret } = splitUserSecret(decoded.text);
  const { kind, email } = readUser(user);
  return { encoding: decoded.encoding, decoded: decoded.text, user, secret, kind, email };
}

function encodingFinding(decoded: DecodedText): CodedFinding | undefined {
  if (decoded.encoding === 'utf-16le' || decoded.encoding === 'utf-16be') {
    const source = decoded.encoding === 'utf-16le' ? "PowerShell's [Text.Encoding]::Unicode" : "PowerShell's [Text.Encoding]::BigEndianUnicode";
    return finding(
      'utf16',
      'error',
      `The credentials were encoded as UTF-16 (as ${source} does) instead of UTF-8, so every other byte is zero and Zendesk cannot read them.`,
      'Encode the text as UTF-8: [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("email/token:api_token")).',
    );
  }
  if (decoded.encoding === 'latin1') {
    const { user } = splitUserSecret(decoded.text);
    const index = [...decoded.text].findIndex((c) => c > '\u007f');
    const inUser = index < user.length;
    const where = inUser ? `character ${index + 1} of the user` : `character ${index - user.length} of the ${secretLabel(readUser(user).kind)}`;
    return finding(
      'latin1',
      'error',
      `The credentials are not valid UTF-8: they were encoded as ISO-8859-1 (Latin-1), so the non-ASCII character at ${where} is one byte instead of the UTF-8 bytes Zendesk reads.`,
      `${encodeFix} (PowerShell: [Text.Encoding]::UTF8.GetBytes(...); Python: .encode('utf-8')).`,
    );
  }
  return undefined;
}

function alphabetFindings(reading: Base64Reading): CodedFinding[] {
  const findings: CodedFinding[] = [];
  if (reading.urlAlphabet && reading.standardAlphabet) {
    findings.push(finding('invalid-base64', 'error', "The base64 mixes both alphabets ('+' and '/' with '-' and '_'), so no decoder reads it as intended.", encodeFix + '.'));
  } else if (reading.urlAlphabet) {
    findings.push(
      finding(
        'base64url',
        'error',
        "The credentials use the base64url alphabet ('-' and '_' instead of '+' and '/'); servers decode standard base64 and read different bytes.",
        "Use standard base64 (btoa(), Buffer.toString('base64'), base64 on the command line), not 'base64url'.",
      ),
    );
  }
  if (reading.padding === 'missing') {
    findings.push(
      finding('missing-padding', 'warning', "The base64 lacks its '=' padding at the end; strict servers reject it.", "Keep the trailing '=' characters: base64's length is always a multiple of 4."),
    );
  } else if (reading.padding === 'wrong') {
    findings.push(finding('invalid-base64', 'error', "The base64 has '=' padding where none belongs (inside the value, or more than the length needs).", encodeFix + '.'));
  }
  return findings;
}

function unreadable(credentials: string, reading: Base64Reading): BasicReading {
  const placeholder = findPlaceholder(credentials);
  if (placeholder !== undefined) {
    return { findings: [templateFinding('The header', placeholder, 'Replace it with the base64 of your real "email/token:api_token".')] };
  }
  if (jwtShape.test(credentials)) return tokenUnderBasic(credentials, 'a JWT');
  if (credentials.includes(':')) {
    const basic = basicCredentials({ encoding: 'utf-8', text: credentials });
    const plain = finding('invalid-base64', 'error', 'The credentials after "Basic" were sent as plain text, not base64-encoded.', encodeFix + '.');
    return { basic, findings: [plain, ...credentialFindings(credentials)] };
  }
  const shown = reading.invalid.slice(0, 3).map(({ index, char }) => {
    const printable = /^[\x21-\x7e]$/.test(char) ? `"${char}"` : characterName(char.codePointAt(0) ?? 0);
    return `${printable} at character ${index + 1}`;
  });
  const message =
    shown.length > 0
      ? `The credentials contain characters that are not base64: ${shown.join(', ')}${reading.invalid.length > 3 ? ` and ${reading.invalid.length - 3} more` : ''}.`
      : `The credentials have a length no base64 encoder produces (${credentials.replace(/=+$/, '').length} characters before padding): a character was lost or added when copying.`;
  return { findings: [finding('invalid-base64', 'error', message, 'Copy the whole value again, or encode the credentials again: ' + "printf '%s' 'email/token:api_token' | base64.")] };
}

function tokenUnderBasic(credentials: string, what: string): BasicReading {
  return {
    tokenLike: credentials,
    findings: [
      finding(
        'basic-looks-bearer',
        'error',
        `The Basic credentials do not decode to "user:secret": they look like an OAuth access token (${what}). Zendesk answers 401 to OAuth tokens in a Basic header.`,
        'Send the token as "Authorization: Bearer <token>".',
      ),
    ],
  };
}

/**
 * Reads the credentials after `Basic`: base64 flaws, the bytes' encoding, double encoding, and
 * the decoded `user:secret` (see {@link credentialFindings}).
 *
 * @example
 * readBasicCredentials('amRvZUBleGFtcGxlLmNvbS90b2tlbjphYmM=').basic?.email; // 'jdoe@example.com'
 */
export function readBasicCredentials(credentials: string, depth = 0): BasicReading {
  if (credentials === '') {
    return { findings: [finding('empty-secret', 'error', 'The header says "Basic" but no credentials follow it.', "Add the base64 of \"email/token:api_token\" after \"Basic \".")] };
  }
  const reading = readBase64(credentials);
  if (!reading.bytes) return unreadable(credentials, reading);
  const decoded = decodeCredentialBytes(reading.bytes);
  if (!decoded) {
    if (findPlaceholder(credentials) !== undefined) return unreadable(credentials, reading);
    if (looksLikeApiToken(credentials)) {
      const raw = finding(
        'no-colon',
        'error',
        'The value after "Basic" looks like an API token sent as it is: it decodes to binary data, not to "email/token:api_token".',
        encodeFix + '.',
      );
      return { findings: [raw] };
    }
    if (credentials.length >= 16) return tokenUnderBasic(credentials, /^[0-9a-f]+$/i.test(credentials) ? `${credentials.length} hexadecimal characters` : 'an opaque token');
    return { findings: [finding('no-colon', 'error', 'The credentials decode to binary data, not to "user:secret" text.', encodeFix + '.')] };
  }
  const findings = alphabetFindings(reading);
  // Credentials have a colon and base64 has none: most values are settled before the base64 test.
  const once = depth < 2 && !decoded.text.includes(':') ? decoded.text.replace(/\r?\n$/, '') : undefined;
  if (once !== undefined && isStrictBase64(once)) {
    const inner = readBasicCredentials(once, depth + 1);
    if (inner.basic) {
      const twice = finding(
        'double-encoded',
        'error',
        'The credentials were base64-encoded twice: decoding once gives more base64, and decoding that gives the credentials.',
        'Encode once. A client that builds the Basic header itself (curl -u, requests auth=…) must be given the plain "email/token:api_token".',
      );
      return { basic: inner.basic, findings: [...findings, twice, ...inner.findings] };
    }
  }
  const encoding = encodingFinding(decoded);
  if (encoding) findings.push(encoding);
  findings.push(...credentialFindings(decoded.text, decoded.encoding));
  return { basic: basicCredentials(decoded), findings };
}
