import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { multipartBoundary, parseMultipart } from '../../../shared/http/multipart.ts';

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

  it('reads a part without headers, and no content from a part cut inside its headers', () => {
    expect(parseMultipart(encoder.encode('--b\r\n\r\nbare\r\n--b\r\nContent-Disposition: form-da'), 'b')).toEqual([
      expect.objectContaining({ headers: [], name: null, text: 'bare' }),
      expect.objectContaining({ headers: [['Content-Disposition', 'form-da']], size: 0 }),
    ]);
  });

  it('takes the boundary for a delimiter only at the start of a line', () => {
    const parts = parseMultipart(encoder.encode('--b\r\nContent-Disposition: form-data; name="--b"\r\n\r\nx --b y\r\n--b--'), 'b');
    expect(parts).toEqual([expect.objectContaining({ name: '--b', text: 'x --b y' })]);
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

function holdsDelimiter(bytes: Uint8Array, boundary: string): boolean {
  return `\n${new TextDecoder('windows-1252').decode(bytes)}`.includes(`\n--${boundary}`);
}

describe('parseMultipart on generated bodies', () => {
  // RFC 2046 boundary characters (bcharsnospace), 1–70 of them.
  const boundary = fc.stringMatching(/^[0-9A-Za-z'()+_,./:=?-]{1,70}$/);
  const name = fc.stringMatching(/^[A-Za-z0-9_[\].-]{1,12}$/);
  const part = fc.record({
    name,
    filename: fc.option(fc.stringMatching(/^[A-Za-z0-9 _.-]{1,16}$/), { nil: null }),
    contentType: fc.option(fc.constantFrom('text/plain', 'image/png', 'application/octet-stream', 'application/json; charset=utf-8'), { nil: null }),
    bytes: fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.string({ maxLength: 40 }).map((s) => encoder.encode(s))),
  });

  it('reads back every field and file, names, types and bytes, with CRLF or LF line ends', () => {
    fc.assert(
      fc.property(boundary, fc.array(part, { minLength: 1, maxLength: 5 }), fc.constantFrom('\r\n', '\n'), (b, parts, eol) => {
        const body = concat(
          ...parts.flatMap((p) => [
            `--${b}${eol}Content-Disposition: form-data; name="${p.name}"${p.filename === null ? '' : `; filename="${p.filename}"`}${eol}`,
            p.contentType === null ? '' : `Content-Type: ${p.contentType}${eol}`,
            eol,
            p.bytes,
            eol,
          ]),
          `--${b}--${eol}`,
        );
        // Content that holds the delimiter at a line start ends its part there, for any reader; with LF line ends, a
        // content ending in CR cannot be told from a CRLF one.
        fc.pre(parts.every((p) => !holdsDelimiter(p.bytes, b) && (eol === '\r\n' || p.bytes.at(-1) !== 13)));
        const read = parseMultipart(body, b);
        expect(read.map((p) => ({ name: p.name, filename: p.filename, contentType: p.contentType, bytes: [...p.bytes] }))).toEqual(
          parts.map((p) => ({ name: p.name, filename: p.filename, contentType: p.contentType, bytes: [...p.bytes] })),
        );
        expect(read.map((p) => p.size)).toEqual(parts.map((p) => p.bytes.length));
      }),
    );
  });

  it('never throws on arbitrary bytes, and its parts fit in the body', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), boundary, (bytes, b) => {
        const read = parseMultipart(bytes, b);
        expect(read.reduce((n, p) => n + p.size, 0)).toBeLessThanOrEqual(bytes.length);
      }),
    );
  });

  it('finds the parts of a body cut anywhere, each a prefix of what was sent', () => {
    fc.assert(
      fc.property(boundary, fc.array(part, { minLength: 1, maxLength: 3 }), fc.nat(), (b, parts, cutAt) => {
        fc.pre(parts.every((p) => !holdsDelimiter(p.bytes, b)));
        const body = concat(...parts.flatMap((p) => [`--${b}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n`, p.bytes, '\r\n']), `--${b}--\r\n`);
        const cut = body.subarray(0, cutAt % (body.length + 1));
        // What a cut body ends with may be the start of the next delimiter: a reader cannot tell it from content.
        for (const [i, read] of parseMultipart(cut, b).entries()) {
          const sentThenFraming = concat(parts[i]!.bytes, `\r\n--${b}`);
          expect([...read.bytes]).toEqual([...sentThenFraming.subarray(0, read.bytes.length)]);
        }
      }),
    );
  });
});
