/** Strict and forgiving readings of base64 (RFC 4648), done by hand so every flaw can be named. */

const standardAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

// Sextet value of each ASCII code, accepting both alphabets; -1 elsewhere.
const sextets = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) sextets[standardAlphabet.charCodeAt(i)] = i;
sextets['-'.charCodeAt(0)] = 62;
sextets['_'.charCodeAt(0)] = 63;

export interface Base64Reading {
  /** Characters that belong to neither alphabet (nor are `=` padding at the end), with their 0-based index. */
  invalid: { index: number; char: string }[];
  /** `-` or `_` appear (base64url, RFC 4648 §5). */
  urlAlphabet: boolean;
  /** `+` or `/` appear. */
  standardAlphabet: boolean;
  /** `missing`: no `=` where the length needs it; `wrong`: `=` inside, too many, or not needed. */
  padding: 'ok' | 'missing' | 'wrong';
  /** A length no encoder produces (one character past a multiple of four). */
  impossibleLength: boolean;
  /** The bytes, when every character is in an alphabet and the length is possible. */
  bytes?: Uint8Array;
}

/**
 * Reads `text` as base64, noting each departure from the standard form, and decodes it when it can.
 *
 * @example
 * readBase64('bWU6cHc').padding; // 'missing'
 * new TextDecoder().decode(readBase64('bWU6cHc').bytes); // 'me:pw'
 */
export function readBase64(text: string): Base64Reading {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  const padCount = text.length - end;
  const invalid: { index: number; char: string }[] = [];
  let urlAlphabet = false;
  let usesStandard = false;
  let innerPadding = false;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 61) innerPadding = true;
    else if (code >= 128 || sextets[code] === -1) {
      const point = text.codePointAt(i) ?? code;
      invalid.push({ index: i, char: String.fromCodePoint(point) });
      if (point > 0xffff) i++;
    }
    else if (code === 45 || code === 95) urlAlphabet = true;
    else if (code === 43 || code === 47) usesStandard = true;
  }
  const impossibleLength = end % 4 === 1;
  let padding: Base64Reading['padding'] = 'ok';
  if (innerPadding || padCount > 2 || (padCount > 0 && (end + padCount) % 4 !== 0)) padding = 'wrong';
  else if (padCount === 0 && end % 4 !== 0) padding = 'missing';
  const reading: Base64Reading = { invalid, urlAlphabet, standardAlphabet: usesStandard, padding, impossibleLength };
  if (invalid.length === 0 && !impossibleLength && !innerPadding) reading.bytes = decodeSextets(text, end);
  return reading;
}

function decodeSextets(text: string, end: number): Uint8Array {
  const bytes = new Uint8Array(Math.floor((end * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let out = 0;
  for (let i = 0; i < end; i++) {
    buffer = ((buffer << 6) | (sextets[text.charCodeAt(i)] ?? 0)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[out++] = (buffer >> bits) & 0xff;
    }
  }
  return bytes;
}

/**
 * Standard base64 with `=` padding, the form RFC 7617 asks for.
 *
 * @example
 * encodeBase64(new TextEncoder().encode('me:pw')); // 'bWU6cHc='
 */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += standardAlphabet[n >> 18]! + standardAlphabet[(n >> 12) & 63]! + standardAlphabet[(n >> 6) & 63]! + standardAlphabet[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = ((bytes[i] ?? 0) << 16) | (rest === 2 ? (bytes[i + 1] ?? 0) << 8 : 0);
    out += standardAlphabet[n >> 18]! + standardAlphabet[(n >> 12) & 63]!;
    out += rest === 2 ? standardAlphabet[(n >> 6) & 63]! + '=' : '==';
  }
  return out;
}

/**
 * True when `text` is base64 exactly as a strict decoder wants it: standard alphabet, padded.
 *
 * @example
 * isStrictBase64('bWU6cHc='); // true
 */
export function isStrictBase64(text: string): boolean {
  return text.length > 0 && text.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(text);
}
