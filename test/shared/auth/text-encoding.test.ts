import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCredentialBytes } from '../../../shared/auth/text-encoding.ts';

// The platform's strict UTF-8 decoder is the reference for which bytes are UTF-8.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function platformUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

const strayControl = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

// Bytes near UTF-8: encoded text with a byte changed, cut or added, and the classic invalid forms.
const nearUtf8 = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 30 }).map((text) => new TextEncoder().encode(text)),
  fc
    .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), fc.nat(), fc.integer({ min: 0, max: 255 }))
    .map(([text, at, byte]) => {
      const bytes = new TextEncoder().encode(text);
      bytes[at % bytes.length] = byte;
      return bytes;
    }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).chain((text) => {
    const bytes = new TextEncoder().encode(text);
    return fc.nat(bytes.length - 1).map((cut) => bytes.subarray(0, cut));
  }),
  fc.constantFrom(
    [0xc0, 0xaf], // overlong "/"
    [0xe0, 0x80, 0xaf], // overlong, three bytes
    [0xed, 0xa0, 0x80], // a surrogate
    [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
    [0xf5, 0x80, 0x80, 0x80],
    [0xef, 0xbb, 0xbf, 0x61, 0x3a, 0x62], // a byte order mark, then "a:b"
  ).map((bytes) => Uint8Array.from(bytes)),
);

describe('decodeCredentialBytes', () => {
  it('reads as UTF-8 exactly the bytes the platform decodes as UTF-8 into text without stray controls', () => {
    fc.assert(
      fc.property(nearUtf8, (bytes) => {
        const expected = platformUtf8(bytes);
        const decoded = decodeCredentialBytes(bytes);
        if (expected !== undefined && !strayControl.test(expected)) expect(decoded).toEqual({ encoding: 'utf-8', text: expected });
        else expect(decoded?.encoding).not.toBe('utf-8');
      }),
      { numRuns: 2000 },
    );
  });

  it('reads invalid UTF-8 of printable Latin-1 bytes as ISO-8859-1', () => {
    expect(decodeCredentialBytes(Uint8Array.from([0x70, 0xe4, 0x73, 0x73]))).toEqual({ encoding: 'latin1', text: 'p\u00e4ss' });
    expect(decodeCredentialBytes(Uint8Array.from([0xc0, 0xaf]))).toEqual({ encoding: 'latin1', text: '\u00c0\u00af' });
  });

  it('reads UTF-16 in either byte order, with or without a byte order mark, as Node encodes it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 2, maxLength: 30 }).filter((text) => !strayControl.test(text) && /[a-z]{2}/i.test(text)), fc.boolean(), (text, bom) => {
        const little = Buffer.from((bom ? '\ufeff' : '') + text, 'utf16le');
        const big = Buffer.from(little).swap16();
        const fromLittle = decodeCredentialBytes(little);
        const fromBig = decodeCredentialBytes(big);
        // Without a byte order mark, mostly non-Latin text has no zero bytes to tell UTF-16 by.
        if (bom || fromLittle?.encoding === 'utf-16le') expect(fromLittle).toEqual({ encoding: 'utf-16le', text });
        if (bom || fromBig?.encoding === 'utf-16be') expect(fromBig).toEqual({ encoding: 'utf-16be', text });
      }),
      { numRuns: 500 },
    );
    expect(decodeCredentialBytes(Buffer.from('me:pw', 'utf16le'))).toEqual({ encoding: 'utf-16le', text: 'me:pw' });
  });

  it('does not take bytes with a lone surrogate for UTF-16', () => {
    // "a", "b", an unpaired high surrogate and "c", little-endian: every other byte is zero, as in UTF-16.
    expect(decodeCredentialBytes(Uint8Array.from([0x61, 0, 0x62, 0, 0x01, 0xd8, 0x63, 0]))).toBeUndefined();
    // The same surrogate paired: U+10402.
    expect(decodeCredentialBytes(Uint8Array.from([0x61, 0, 0x62, 0, 0x01, 0xd8, 0x02, 0xdc]))).toEqual({ encoding: 'utf-16le', text: 'ab\u{10402}' });
  });

  it('gives up on bytes that are no text at all', () => {
    expect(decodeCredentialBytes(Uint8Array.from([0x01, 0x02, 0x80, 0x81]))).toBeUndefined();
  });
});
