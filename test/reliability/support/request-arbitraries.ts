import { METHODS } from 'node:http';
import fc from 'fast-check';

/** One request as the property test sends it: every part as bytes on the wire. */
export interface WireRequest {
  method: string;
  /** Path after the bin, starting with `/`. */
  path: string;
  query: string;
  /** Header names and values as raw bytes (values may hold any visible latin1 byte). */
  headers: [string, Buffer][];
  body: Buffer;
  chunked: boolean;
}

const tokenChars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const token = (maxLength: number) => fc.string({ unit: fc.constantFrom(...tokenChars), minLength: 1, maxLength });

/** Methods Node's parser knows (all but CONNECT, which asks for a tunnel) and arbitrary tokens. */
export const knownMethods = METHODS.filter((m) => m !== 'CONNECT');
const method = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...knownMethods) }, { weight: 1, arbitrary: token(12) });

// Framing and connection headers are the client's to set, not the property's.
const reserved = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'expect', 'upgrade', 'keep-alive', 'te', 'trailer', 'proxy-connection', 'http2-settings']);
const interestingNames = ['Authorization', 'authorization', 'Cookie', 'Content-Type', 'Content-Encoding', 'X-Zendesk-Webhook-Signature', 'X-Zendesk-Webhook-Signature-Timestamp', 'X-Hub-Signature-256', 'Stripe-Signature', 'X-Forwarded-For', 'X-Forwarded-Proto', 'Forwarded', 'Origin', 'Last-Event-ID'];
const headerName = fc.oneof(fc.constantFrom(...interestingNames), token(24)).filter((name) => !reserved.has(name.toLowerCase()));

/** Visible latin1 bytes, with inner spaces and tabs: no outer whitespace, which HTTP trims. */
const visibleByte = fc.oneof(fc.integer({ min: 0x21, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff }));
const latin1Value = fc
  .array(fc.oneof({ weight: 8, arbitrary: visibleByte }, { weight: 1, arbitrary: fc.constantFrom(0x20, 0x09) }), { maxLength: 60 })
  .map((bytes) => Buffer.from(bytes))
  .filter((bytes) => bytes.length === 0 || (![0x20, 0x09].includes(bytes[0]!) && ![0x20, 0x09].includes(bytes[bytes.length - 1]!)));
const utf8Value = fc
  .string({ unit: 'grapheme', maxLength: 20 })
  .map((text) => Buffer.from(text.replace(/[\u0000-\u0020\u007f-\u009f]/g, 'x'), 'utf8'));
const credentialValue = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 48 }).map((bytes) => Buffer.from(`Basic ${Buffer.from(bytes).toString('base64')}`)),
  fc.tuple(fc.jsonValue(), fc.jsonValue()).map(([h, p]) => Buffer.from(`Bearer eyJ${Buffer.from(JSON.stringify(h) ?? '').toString('base64url')}.${Buffer.from(JSON.stringify(p) ?? '').toString('base64url')}.sig`)),
);
const headerValue = fc.oneof(latin1Value, utf8Value, credentialValue);

// Path and query characters a request target may hold; no dot segments, which URLs resolve.
const pathChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~!$&'()*+,;=:@";
const percent = fc.integer({ min: 0, max: 255 }).filter((byte) => byte !== 0x2e).map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`);
const segment = fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...pathChars) }, { weight: 1, arbitrary: percent }), { maxLength: 12 }).map((parts) => parts.join(''));
const path = fc.array(segment, { maxLength: 4 }).map((segments) => `/${segments.join('/')}`);
const query = fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...pathChars, '/', '?', '.') }, { weight: 1, arbitrary: percent }), { maxLength: 40 }).map((parts) => parts.join(''));

export const wireRequest: fc.Arbitrary<WireRequest> = fc.record({
  method,
  path,
  query,
  headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 24 }),
  body: fc.oneof(fc.uint8Array({ maxLength: 4096 }), fc.string({ maxLength: 200 }).map((text) => new TextEncoder().encode(text))).map((bytes) => Buffer.from(bytes)),
  chunked: fc.boolean(),
});

/** The bytes of the request, for `bin`, with the framing headers the test owns. */
export function encode(request: WireRequest, bin: string): { bytes: Buffer; headers: [string, Buffer][] } {
  const framing: [string, Buffer] = request.chunked ? ['Transfer-Encoding', Buffer.from('chunked')] : ['Content-Length', Buffer.from(String(request.body.length))];
  const headers: [string, Buffer][] = [['Host', Buffer.from('property.test')], ...request.headers, framing, ['Connection', Buffer.from('close')]];
  const target = `/b/${bin}${request.path}${request.query === '' ? '' : `?${request.query}`}`;
  const head = Buffer.concat([
    Buffer.from(`${request.method} ${target} HTTP/1.1\r\n`, 'latin1'),
    ...headers.flatMap(([name, value]) => [Buffer.from(`${name}: `, 'latin1'), value, Buffer.from('\r\n')]),
    Buffer.from('\r\n'),
  ]);
  const body = request.chunked
    ? Buffer.concat([...(request.body.length > 0 ? [Buffer.from(`${request.body.length.toString(16)}\r\n`), request.body, Buffer.from('\r\n')] : []), Buffer.from('0\r\n\r\n')])
    : request.body;
  return { bytes: Buffer.concat([head, body]), headers };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** How the API shows header bytes: the UTF-8 text they spell, else one char per byte. */
export function shownAs(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}
