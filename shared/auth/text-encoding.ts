import type { BasicCredentials } from './types.ts';

/** How the credentials' bytes were turned into text. */
export type CredentialEncoding = BasicCredentials['encoding'];

export interface DecodedText {
  encoding: CredentialEncoding;
  text: string;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
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
function hasStrayControls(text: string): boolean {
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text);
}

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function decodeUtf16(bytes: Uint8Array, littleEndian: boolean, start: number): string | undefined {
  let text = '';
  for (let i = start; i + 1 < bytes.length; i += 2) {
    const low = bytes[littleEndian ? i : i + 1] ?? 0;
    const high = bytes[littleEndian ? i + 1 : i] ?? 0;
    text += String.fromCharCode((high << 8) | low);
  }
  // A lone surrogate means these were never UTF-16 code units.
  return !loneSurrogate.test(text) && !hasStrayControls(text) ? text : undefined;
}

// UTF-16 text of Latin script has a zero in every other byte: the high byte of each code unit.
function utf16Order(bytes: Uint8Array): 'le' | 'be' | undefined {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'be';
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0) {
      if (i % 2 === 0) zeroEven++;
      else zeroOdd++;
    }
  }
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
  let utf8: string | undefined;
  try {
    utf8 = strictUtf8.decode(bytes);
  } catch {
    utf8 = undefined;
  }
  if (utf8 !== undefined && !hasStrayControls(utf8)) return { encoding: 'utf-8', text: utf8 };
  const order = utf16Order(bytes);
  if (order) {
    const bom = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    const text = decodeUtf16(bytes, order === 'le', bom ? 2 : 0);
    if (text !== undefined) return { encoding: order === 'le' ? 'utf-16le' : 'utf-16be', text };
  }
  if (utf8 === undefined && isLatin1Text(bytes)) {
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return { encoding: 'latin1', text };
  }
  return undefined;
}
