/**
 * Twilio: `X-Twilio-Signature` = base64(HMAC-SHA1(auth token, full URL + the POST parameters sorted
 * by name, each name then value)). JSON bodies are not in the message: the URL carries their
 * SHA-256 as `bodySHA256` instead.
 */
import type { Finding } from '../types.ts';
import { toBase64, toHex, utf8 } from '../bytes.ts';
import { hmac, sha256 } from '../hmac.ts';
import { formParams } from '../body.ts';
import type { ParsedSignature, SchemeModule, SignedFields } from './scheme.ts';
import { decodeMac, decodedKeyMistakes, repeatedHeader, textKey } from './scheme.ts';

const HEADER = 'X-Twilio-Signature';
const FORM = 'application/x-www-form-urlencoded';

function bodyHashParam(url: string): string | null {
  try {
    return new URL(url).searchParams.get('bodySHA256');
  } catch {
    return null;
  }
}

function isForm(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === FORM;
}

/** Sorted by name, then value, by UTF-16 code unit ("Unix-style case-sensitive"), as Twilio does. */
function sortedParams(body: Uint8Array): string {
  const params = formParams(body);
  params.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return params.map(([name, value]) => name + value).join('');
}

function signedMessage({ method, url, body, contentType }: SignedFields): Uint8Array {
  const params = method.toUpperCase() !== 'GET' && isForm(contentType) && bodyHashParam(url) === null;
  return utf8(params ? url + sortedParams(body) : url);
}

export const twilio: SchemeModule = {
  scheme: 'twilio',
  sender: 'Twilio',
  signatureHeader: HEADER,
  recipe:
    'base64 of HMAC-SHA1 keyed by the auth token as text, over the full URL Twilio called followed by each POST parameter\'s name and value, sorted by name (JSON bodies: the URL alone, with the body\'s SHA-256 in its bodySHA256 parameter)',
  signsUrl: true,

  parse({ headers }) {
    const field = headers.get(HEADER);
    if (!field) return null;
    const parsed: ParsedSignature = { headers: [field.name], hash: 'SHA-1', macs: [], findings: [], malformed: true };
    if (field.values.length > 1) parsed.findings.push(repeatedHeader(field.name, field.values.length));
    const decoded = decodeMac(field.values[0] ?? '', 'base64', 'SHA-1', field.name, 'Twilio');
    if ('finding' in decoded) parsed.findings.push(decoded.finding);
    else {
      parsed.macs.push(decoded.mac);
      parsed.malformed = false;
    }
    return parsed;
  },

  message: signedMessage,
  key: textKey,
  mistakenKeys: (secret) => decodedKeyMistakes(secret, 'Twilio'),

  async checkBody({ url, body }) {
    const expected = bodyHashParam(url);
    if (expected === null) return [];
    if (toHex(await sha256(body)) === expected.toLowerCase()) return [];
    const finding: Finding = {
      code: 'body-hash-mismatch',
      severity: 'error',
      message: `The URL's bodySHA256 parameter is not the SHA-256 of the stored body (${body.length} bytes): the body changed after Twilio sent it, or the URL is not the one Twilio called.`,
      fix: 'Hash the raw body bytes, before any JSON parsing, and compare with bodySHA256.',
    };
    return [finding];
  },

  async sign(fields, key) {
    const bodyHash = bodyHashParam(fields.url);
    if (fields.body.length > 0 && bodyHash === null && /^\s*[[{]/.test(new TextDecoder().decode(fields.body))) {
      throw new Error(
        `Twilio signs a JSON body through the URL: add bodySHA256=${toHex(await sha256(fields.body))} to its query string.`,
      );
    }
    const message = signedMessage({ ...fields, method: 'POST', contentType: bodyHash === null ? FORM : undefined });
    return [[HEADER, toBase64(await hmac('SHA-1', key, message))]];
  },
};
