import type { BasicCredentials } from './types.ts';

/** How the credentials' bytes were turned into text. */
export type CredentialEncoding = BasicCredentials['encoding'];

export interface DecodedText {
  encoding: CredentialEncoding;
  text: string;
}

const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/**
 * The UTF-8 bytes of `text`.
 *
 * @example
 * utf8Bytes('£'); // Uint8Array [0xc2, 0xa3]
 */
export function utf8Bytes(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

// Control characters that never belong in typed credentials; tab, CR and LF do appear by mistake.
function isStrayControl(code: number): boolean {
  return code <= 0x08 || code === 0x0b || code === 0x0c || (code >= 0x0e && code <= 0x1f) || code === 0x7f;
}

// Code units (Latin-1 bytes or UTF-16 units) to a string, in slices small enough for fromCharCode's arguments.
function fromCodeUnits(units: Uint8Array | Uint16Array): string {
  if (units.length <= 4096) return String.fromCharCode.apply(null, units as unknown as number[]);
  let text = '';
  for (let i = 0; i < units.length; i += 4096) text += String.fromCharCode.apply(null, units.subarray(i, i + 4096) as unknown as number[]);
  return text;
}

// Well-formed UTF-8 as the WHATWG decoder defines it: no overlong forms, surrogates or code points past U+10FFFF.
function isValidUtf8(bytes: Uint8Array): boolean {
  const length = bytes.length;
  let i = 0;
  while (i < length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let follow: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) follow = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      follow = 2;
      if (lead === 0xe0) low = 0xa0;
      else if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      follow = 3;
      if (lead === 0xf0) low = 0x90;
      else if (lead === 0xf4) high = 0x8f;
    } else return false;
    if (i + follow >= length) return false;
    const second = bytes[i + 1]!;
    if (second < low || second > high) return false;
    for (let k = 2; k <= follow; k++) {
      const next = bytes[i + k]!;
      if (next < 0x80 || next > 0xbf) return false;
    }
    i += follow + 1;
  }
  return true;
}

function decodeUtf16(bytes: Uint8Array, littleEndian: boolean, start: number): string | undefined {
  const units = new Uint16Array((bytes.length - start) >> 1);
  for (let u = 0, i = start; u < units.length; u++, i += 2) {
    const unit = littleEndian ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!;
    if (isStrayControl(unit)) return undefined;
    units[u] = unit;
  }
  // A lone surrogate means these were never UTF-16 code units.
  for (let u = 0; u < units.length; u++) {
    const unit = units[u]!;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = units[u + 1];
      if (next === undefined || next < 0xdc00 || next > 0xdfff) return undefined;
      u++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) return undefined;
  }
  return fromCodeUnits(units);
}

// UTF-16 text of Latin script has a zero in every other byte: the high byte of each code unit.
function utf16Order(bytes: Uint8Array, zeroEven: number, zeroOdd: number): 'le' | 'be' | undefined {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'be';
  const pairs = bytes.length / 2;
  if (zeroOdd * 2 >= pairs && zeroEven === 0) return 'le';
  if (zeroEven * 2 >= pairs && zeroOdd === 0) return 'be';
  return undefined;
}

function isLatin1Text(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    const printable = (byte >= 0x20 && byte <= 0x7e) || byte >= 0xa0 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
    if (!printable) return false;
  }
  return true;
}

/**
 * Reads credential bytes as the text someone most likely typed: UTF-8 when valid, else UTF-16
 * (PowerShell's `[Text.Encoding]::Unicode`), else ISO-8859-1. `undefined` when the bytes are not
 * text at all (a token, random data).
 *
 * @example
 * decodeCredentialBytes(new Uint8Array([0x6d, 0, 0x65, 0])); // { encoding: 'utf-16le', text: 'me' }
 */
export function decodeCredentialBytes(bytes: Uint8Array): DecodedText | undefined {
  // One pass tells ASCII from the rest and counts what the UTF-8 and UTF-16 readings need to know.
  let nonAscii = false;
  let strayControl = false;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x80) nonAscii = true;
    else if (isStrayControl(byte)) {
      strayControl = true;
      if (byte === 0) {
        if (i % 2 === 0) zeroEven++;
        else zeroOdd++;
      }
    }
  }
  // Multi-byte UTF-8 sequences only hold bytes from 0x80 up, so the controls of the text are these bytes.
  const utf8 = !nonAscii || isValidUtf8(bytes);
  if (utf8 && !strayControl) return { encoding: 'utf-8', text: utf8Decoder.decode(bytes) };
  // Without a zero byte only a byte order mark can announce UTF-16.
  const order = zeroEven + zeroOdd > 0 || bytes[0] === 0xff || bytes[0] === 0xfe ? utf16Order(bytes, zeroEven, zeroOdd) : undefined;
  if (order) {
    const bom = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    const text = decodeUtf16(bytes, order === 'le', bom ? 2 : 0);
    if (text !== undefined) return { encoding: order === 'le' ? 'utf-16le' : 'utf-16be', text };
  }
  if (!utf8 && isLatin1Text(bytes)) return { encoding: 'latin1', text: fromCodeUnits(bytes) };
  return undefined;
}
