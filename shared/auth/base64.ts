/** Strict and forgiving readings of base64 (RFC 4648), done by hand so every flaw can be named. */

const standardAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const alphabetCodes = Uint8Array.from(standardAlphabet, (char) => char.charCodeAt(0));
const asciiDecoder = new TextDecoder();

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

// Reading bytes is faster than reading characters, so ASCII text is copied into this buffer first.
let asciiScratch = new Uint8Array(256);
const asciiEncoder = new TextEncoder();

// The codes of `text` when it is all ASCII (valid only until the next call); undefined otherwise.
function asciiCodes(text: string): Uint8Array | undefined {
  if (text.length > asciiScratch.length) asciiScratch = new Uint8Array(text.length);
  const { read, written } = asciiEncoder.encodeInto(text, asciiScratch);
  return read === text.length && written === text.length ? asciiScratch : undefined;
}

interface Scan {
  invalid: { index: number; char: string }[];
  urlAlphabet: boolean;
  standardAlphabet: boolean;
  innerPadding: boolean;
  bytes?: Uint8Array;
}

// ASCII before the padding: checked and decoded in one pass, four characters to three bytes.
function scanAscii(codes: Uint8Array, end: number): Scan {
  const scan: Scan = { invalid: [], urlAlphabet: false, standardAlphabet: false, innerPadding: false };
  const bytes = new Uint8Array(Math.floor((end * 3) / 4));
  let group = 0;
  let out = 0;
  for (let i = 0; i < end; i++) {
    const code = codes[i]!;
    const value = sextets[code]!;
    if (value >= 0) {
      if (value >= 62) {
        if (code === 45 || code === 95) scan.urlAlphabet = true;
        else scan.standardAlphabet = true;
      }
      group = (group << 6) | value;
      if ((i & 3) === 3) {
        bytes[out++] = group >> 16;
        bytes[out++] = (group >> 8) & 0xff;
        bytes[out++] = group & 0xff;
        group = 0;
      }
    } else if (code === 61) scan.innerPadding = true;
    else scan.invalid.push({ index: i, char: String.fromCharCode(code) });
  }
  // A last group of two or three characters gives one or two bytes; its spare bits are dropped.
  if (end % 4 === 2) bytes[out] = group >> 4;
  else if (end % 4 === 3) {
    bytes[out++] = group >> 10;
    bytes[out] = (group >> 2) & 0xff;
  }
  scan.bytes = bytes;
  return scan;
}

// Text with characters beyond ASCII, which no alphabet has: only its flaws are of use.
function scanText(text: string, end: number): Scan {
  const scan: Scan = { invalid: [], urlAlphabet: false, standardAlphabet: false, innerPadding: false };
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 61) scan.innerPadding = true;
    else if (code >= 128 || sextets[code] === -1) {
      const point = text.codePointAt(i) ?? code;
      scan.invalid.push({ index: i, char: String.fromCodePoint(point) });
      if (point > 0xffff) i++;
    } else if (code === 45 || code === 95) scan.urlAlphabet = true;
    else if (code === 43 || code === 47) scan.standardAlphabet = true;
  }
  return scan;
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
  const codes = asciiCodes(text);
  const scan = codes ? scanAscii(codes, end) : scanText(text, end);
  const impossibleLength = end % 4 === 1;
  let padding: Base64Reading['padding'] = 'ok';
  if (scan.innerPadding || padCount > 2 || (padCount > 0 && (end + padCount) % 4 !== 0)) padding = 'wrong';
  else if (padCount === 0 && end % 4 !== 0) padding = 'missing';
  const reading: Base64Reading = { invalid: scan.invalid, urlAlphabet: scan.urlAlphabet, standardAlphabet: scan.standardAlphabet, padding, impossibleLength };
  if (scan.bytes && scan.invalid.length === 0 && !impossibleLength && !scan.innerPadding) reading.bytes = scan.bytes;
  return reading;
}

/**
 * Standard base64 with `=` padding, the form RFC 7617 asks for.
 *
 * @example
 * encodeBase64(new TextEncoder().encode('me:pw')); // 'bWU6cHc='
 */
export function encodeBase64(bytes: Uint8Array): string {
  // Built as ASCII codes and decoded once: far less work than adding strings four characters at a time.
  const codes = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let out = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    codes[out++] = alphabetCodes[n >> 18]!;
    codes[out++] = alphabetCodes[(n >> 12) & 63]!;
    codes[out++] = alphabetCodes[(n >> 6) & 63]!;
    codes[out++] = alphabetCodes[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    codes[out++] = alphabetCodes[n >> 18]!;
    codes[out++] = alphabetCodes[(n >> 12) & 63]!;
    codes[out++] = rest === 2 ? alphabetCodes[(n >> 6) & 63]! : 61;
    codes[out] = 61;
  }
  return asciiDecoder.decode(codes);
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
