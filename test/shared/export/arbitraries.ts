import fc from 'fast-check';
import type { ExportableRequest } from '../../../shared/export/index.ts';

const tokenChars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split('');
const printableAscii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
// Names that the export handles specially, so they come up often, and repeats of one name.
const notableNames = ['Content-Type', 'content-type', 'User-Agent', 'Accept', 'Authorization', 'Cookie', 'X-Zendesk-Webhook-Signature', 'X-Dup', 'x-dup'];
const excluded = /^(host|connection|keep-alive|proxy-.*|te|trailer|upgrade|expect|content-length|transfer-encoding)$/i;

const headerName = fc.oneof(
  fc.constantFrom(...notableNames),
  fc.string({ unit: fc.constantFrom(...tokenChars), minLength: 1, maxLength: 16 }).filter((name) => !excluded.test(name)),
);

/** Values as a server stores them: no whitespace at either end (HTTP parsers strip it). */
export const asciiHeaderValue = fc.string({ unit: fc.constantFrom(...printableAscii), maxLength: 60 }).map((value) => value.trim());
const unicodeHeaderValue = fc
  .string({ unit: fc.constantFrom('é', '€', '😀', 'ü', 'a', ' ', 'ß', '中'), maxLength: 12 })
  .map((value) => value.trim());

const pathChars = "abcXYZ019-._~!$&'()*+,;=:@".split('');
const segment = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: fc.oneof(fc.constantFrom(...pathChars), fc.constantFrom('%20', '%2F', '%e2%82%ac')), maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom('.', '..') },
);
const path = fc.oneof(fc.constant('/'), fc.array(segment, { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join('/')}`));
const query = fc.oneof(fc.constant(''), fc.string({ unit: fc.constantFrom(...pathChars, '/', '?', '[', ']', '{', '}', '%41'), maxLength: 20 }));

const textBody = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: fc.constantFrom('\r', '\n', '\t', '\\', "'", '"', '$', '`', '!', '@', 'a', 'é', '\x01', '\x1b', '\x7f', '\u200b', '\u00a0', '%'), maxLength: 40 }),
);

export type Body = { kind: 'text'; text: string } | { kind: 'bytes'; bytes: Uint8Array };
const body: fc.Arbitrary<Body> = fc.oneof(
  textBody.map((text) => ({ kind: 'text' as const, text })),
  fc.uint8Array({ maxLength: 100 }).map((bytes) => ({ kind: 'bytes' as const, bytes })),
);

const utf8 = new TextDecoder('utf-8', { fatal: true });
function textOf(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * A request as authbin would have stored it: Host among the headers, and Content-Length (or
 * Transfer-Encoding: chunked) in its place when there is a body.
 */
export function storedRequest(options: { unicodeHeaders?: boolean } = {}): fc.Arbitrary<ExportableRequest> {
  const value = options.unicodeHeaders ? fc.oneof(asciiHeaderValue, unicodeHeaderValue) : asciiHeaderValue;
  return fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'HEAD'),
      path,
      query,
      headers: fc.array(fc.tuple(headerName, value), { maxLength: 10 }),
      body: fc.option(body, { nil: undefined }),
      hostAt: fc.nat(),
      framing: fc.constantFrom('content-length', 'chunked', 'zero-length'),
      framingAt: fc.nat(),
    })
    .map(({ method, path, query, headers, body, hostAt, framing, framingAt }) => {
      const bytes = method === 'HEAD' || !body ? new Uint8Array() : body.kind === 'text' ? new TextEncoder().encode(body.text) : body.bytes;
      const all: [string, string][] = [...headers];
      if (bytes.length > 0) {
        all.splice(framingAt % (all.length + 1), 0, framing === 'chunked' ? ['Transfer-Encoding', 'chunked'] : ['Content-Length', String(bytes.length)]);
      } else if (framing === 'zero-length' && method !== 'GET' && method !== 'HEAD') {
        all.splice(framingAt % (all.length + 1), 0, ['Content-Length', '0']);
      }
      all.splice(hostAt % (all.length + 1), 0, ['Host', 'authbin.example']);
      const text = textOf(bytes);
      return {
        id: '4711',
        bin: 'demo',
        method,
        path,
        query,
        headers: all,
        body: { size: bytes.length, truncated: false, base64: Buffer.from(bytes).toString('base64'), ...(text !== undefined && { text }) },
      };
    });
}

export function bodyOf(request: ExportableRequest): Buffer {
  return Buffer.from(request.body.base64, 'base64');
}
