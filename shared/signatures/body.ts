/** What the raw body looks like to a receiver that parses it before checking the signature. */
import type { Finding } from '../auth/types.ts';
import { decodeUtf8 } from './bytes.ts';

/** Past this size the detection that runs on every request detail skips the JSON round trip. */
const MAX_JSON_CHECK_BYTES = 1 << 20;

export interface Reserialised {
  /** `JSON.stringify(JSON.parse(body))`. */
  text: string;
  /** Index of the first character where it differs from the body as sent. */
  firstDifference: number;
  sent: string;
}

/**
 * The body re-serialised the way most receivers do it by accident (`JSON.stringify(req.body)`),
 * or undefined when the body isn't JSON or survives the round trip unchanged.
 * @example reserialiseJson(utf8('{"a": 1}'))?.text // '{"a":1}'
 */
export function reserialiseJson(body: Uint8Array): Reserialised | undefined {
  if (body.length === 0 || body.length > MAX_JSON_CHECK_BYTES) return undefined;
  const sent = decodeUtf8(body);
  if (sent === undefined || !/^\s*[[{]/.test(sent)) return undefined;
  let text: string;
  try {
    text = JSON.stringify(JSON.parse(sent));
  } catch {
    return undefined;
  }
  if (text === sent) return undefined;
  let firstDifference = 0;
  while (firstDifference < text.length && text[firstDifference] === sent[firstDifference]) firstDifference++;
  return { text, firstDifference, sent };
}

function excerpt(text: string, at: number): string {
  return JSON.stringify(text.slice(at, at + 12));
}

/** The info finding that tells a receiver its parse-then-stringify would change the signed bytes. */
export function reserialisedFinding(reserialised: Reserialised): Finding {
  const at = reserialised.firstDifference;
  return {
    code: 'body-reserialised-differs',
    severity: 'info',
    message:
      `This JSON body changes when parsed and re-serialised (from character ${at + 1}: sent ${excerpt(reserialised.sent, at)}, ` +
      `re-serialised ${excerpt(reserialised.text, at)}), so a receiver that checks the signature over the parsed body instead of the raw bytes will reject it.`,
    fix: 'Compute the HMAC over the raw request bytes before any JSON parsing (e.g. express.raw(), request.get_data(), php://input).',
  };
}

/**
 * The name/value pairs of an `application/x-www-form-urlencoded` body, decoded.
 * @example formParams(utf8('To=%2B1&Body=hi+there')) // [['To', '+1'], ['Body', 'hi there']]
 */
export function formParams(body: Uint8Array): [string, string][] {
  const text = decodeUtf8(body) ?? '';
  return [...new URLSearchParams(text)];
}
