import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBase64, readBase64 } from '../../../shared/auth/index.ts';

describe('base64', () => {
  it("encodes exactly as Node's Buffer does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(encodeBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      }),
    );
  });

  it('reads standard and url-safe base64 back to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const standard = readBase64(Buffer.from(bytes).toString('base64'));
        expect(standard.padding).toBe('ok');
        expect(standard.urlAlphabet).toBe(false);
        expect(Buffer.from(standard.bytes ?? [])).toEqual(Buffer.from(bytes));
        const url = readBase64(Buffer.from(bytes).toString('base64url'));
        expect(Buffer.from(url.bytes ?? [])).toEqual(Buffer.from(bytes));
        expect(url.padding).toBe(bytes.length % 3 === 0 ? 'ok' : 'missing');
      }),
    );
  });

  it('names what a strict decoder rejects', () => {
    expect(readBase64('bWU6cHc').padding).toBe('missing');
    expect(readBase64('bWU6cHc==').padding).toBe('wrong');
    expect(readBase64('bW=U6cHc').padding).toBe('wrong');
    expect(readBase64('bWU6c').impossibleLength).toBe(true);
    expect(readBase64('bWU6c').bytes).toBeUndefined();
    expect(readBase64('bW\u00e96cHc=').invalid).toEqual([{ index: 2, char: '\u00e9' }]);
    expect(readBase64('a\u{1F600}b').invalid).toEqual([{ index: 1, char: '\u{1F600}' }]);
  });
});
