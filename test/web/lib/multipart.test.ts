import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { multipartBoundary, parseMultipart } from '../../../web/lib/multipart.ts';

const encoder = new TextEncoder();

function concat(...chunks: (string | Uint8Array)[]): Uint8Array {
  const parts = chunks.map((c) => (typeof c === 'string' ? encoder.encode(c) : c));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

describe('multipartBoundary', () => {
  it('reads quoted and bare boundaries, and only from multipart types', () => {
    expect(multipartBoundary('multipart/form-data; boundary=----abc123')).toBe('----abc123');
    expect(multipartBoundary('Multipart/Mixed; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('application/json; boundary=x')).toBeNull();
    expect(multipartBoundary('multipart/form-data')).toBeNull();
    expect(multipartBoundary(null)).toBeNull();
  });
});

describe('parseMultipart', () => {
  it('lists fields and files with their names, types and sizes', () => {
    const body = concat(
      '--XyZ\r\nContent-Disposition: form-data; name="comment"\r\n\r\nHello\r\nworld\r\n',
      '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n',
      Uint8Array.of(0, 255, 13, 10, 1),
      '\r\n--XyZ--\r\n',
    );
    const parts = parseMultipart(body, 'XyZ');
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatchObject({ name: 'comment', filename: null, contentType: null, size: 12, text: 'Hello\r\nworld' });
    expect(parts[1]).toMatchObject({ name: 'file', filename: 'a.bin', contentType: 'application/octet-stream', size: 5, text: null });
    expect([...parts[1]!.bytes]).toEqual([0, 255, 13, 10, 1]);
  });

  it('accepts LF-only line endings and a body truncated before the final boundary', () => {
    const parts = parseMultipart(encoder.encode('--b\nContent-Disposition: form-data; name="x"\n\nvalue that was cut'), 'b');
    expect(parts).toEqual([expect.objectContaining({ name: 'x', text: 'value that was cut' })]);
  });

  it('finds nothing when the boundary is not there', () => {
    expect(parseMultipart(encoder.encode('just text'), 'nope')).toEqual([]);
  });

  it('gives back the exact bytes of every part, whatever they hold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.uint8Array({ maxLength: 64 })), { minLength: 1, maxLength: 4 }),
        (fields) => {
          const boundary = '----authbinBoundary7MA4YWxkTrZu0gW';
          const chunks: (string | Uint8Array)[] = [];
          for (const [name, bytes] of fields) {
            chunks.push(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`, bytes, '\r\n');
          }
          chunks.push(`--${boundary}--\r\n`);
          const parts = parseMultipart(concat(...chunks), boundary);
          expect(parts.map((p) => p.name)).toEqual(fields.map(([name]) => name));
          expect(parts.map((p) => [...p.bytes])).toEqual(fields.map(([, bytes]) => [...bytes]));
        },
      ),
    );
  });
});
