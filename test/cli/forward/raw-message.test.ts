import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRawRequest } from '../../../server/cli/forward/raw-message.ts';

const token = fc.string({ unit: fc.constantFrom(...'!#$%&\'*+-.^_`|~09azAZ'.split('')), minLength: 1, maxLength: 12 });
// Header bytes as Node stores them: latin1 characters, no CR/LF/NUL, nothing blank at either end.
const value = fc
  .string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 30 })
  .map((v) => v.trim());

describe('parseRawRequest', () => {
  it('gives back the method, target, headers and body bytes the raw message was made of', () => {
    fc.assert(
      fc.property(
        token,
        fc.stringMatching(/^\/b\/[a-z]{1,5}(\/[a-z%0-9.]{0,6}){0,3}(\?[a-z=&%[\]]{0,10})?$/),
        fc.array(fc.tuple(token, value), { maxLength: 8 }),
        fc.uint8Array({ maxLength: 64 }),
        (method, target, headers, body) => {
          // As GET /api/requests/{id}/raw writes it.
          const head = `${method} ${target} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
          const parsed = parseRawRequest(Buffer.concat([Buffer.from(head, 'latin1'), body]));
          expect(parsed).toEqual({ method, target, httpVersion: '1.1', headers, body: Buffer.from(body) });
        },
      ),
    );
  });

  it('refuses what is not an HTTP request message', () => {
    expect(parseRawRequest(Buffer.from('not http'))).toBeUndefined();
    expect(parseRawRequest(Buffer.from('GET / HTTP/1.1\r\nno colon\r\n\r\n'))).toBeUndefined();
  });
});
