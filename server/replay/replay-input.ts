/** Reads and checks the body of `POST /api/requests/{id}/replay` against the stored request. */
import { isToken } from '../../shared/http/header-rules.ts';
import { ApiFailure } from '../errors.ts';
import { isObject } from '../routes/validate.ts';
import type { StoredRequest } from '../store/store.ts';
import type { HeaderPair } from './send-request.ts';

/** What to send, before the per-hop headers are adjusted: header values as latin1 byte strings. */
export interface ReplayPlan {
  url: URL;
  method: string;
  headers: HeaderPair[];
  body: Uint8Array;
}

const maxHeaders = 500;

function invalid(message: string): never {
  throw new ApiFailure(400, 'invalid_input', message);
}

function targetUrl(value: unknown): URL {
  if (typeof value !== 'string' || !URL.canParse(value)) invalid('"url" must be a full http:// or https:// URL, such as http://localhost:3000/webhook');
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') invalid(`"url" must use http or https, not ${url.protocol.slice(0, -1)}`);
  if (url.username !== '' || url.password !== '') invalid('"url" must not hold credentials: they would not be sent; put them in an Authorization header');
  return url;
}

/** JSON strings are text: their UTF-8 bytes are what goes on the wire. */
function headerPairs(value: unknown): HeaderPair[] {
  if (!Array.isArray(value) || value.length > maxHeaders) invalid(`"headers" must be an array of at most ${maxHeaders} [name, value] pairs`);
  return value.map((pair: unknown, i) => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      invalid(`headers[${i}] must be a [name, value] pair of strings`);
    }
    const [name, text] = pair as [string, string];
    if (!isToken(name)) invalid(`headers[${i}]: "${name.slice(0, 60)}" is not a valid header name`);
    if (/[\r\n\0]/.test(text)) invalid(`headers[${i}]: the value of "${name}" must not contain line breaks or NUL`);
    return [name, Buffer.from(text, 'utf8').toString('latin1')];
  });
}

function bodyBytes(value: unknown): Uint8Array {
  if (isObject(value) && Object.keys(value).length === 1) {
    if (typeof value.text === 'string') return Buffer.from(value.text, 'utf8');
    if (typeof value.base64 === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value.base64) && value.base64.length % 4 === 0) {
      return Buffer.from(value.base64, 'base64');
    }
  }
  invalid('"body" must be {"text": "…"} or {"base64": "…"} (standard base64 with padding)');
}

/**
 * The request to send: the stored one, with whatever the input changes. A stored body that was
 * truncated is not sent as if it were whole: the input must then give the body.
 */
export function replayPlan(input: unknown, stored: StoredRequest): ReplayPlan {
  if (!isObject(input)) invalid('expected {"url", "method"?, "headers"?, "body"?}');
  const unknown = Object.keys(input).filter((key) => !['url', 'method', 'headers', 'body'].includes(key));
  if (unknown.length > 0) invalid(`unknown field "${unknown[0]}": use url, method, headers, body`);
  const url = targetUrl(input.url);
  if (input.method !== undefined && (typeof input.method !== 'string' || !isToken(input.method))) invalid('"method" must be an HTTP method name such as POST');
  if (input.body === undefined && stored.truncated) {
    throw new ApiFailure(400, 'body_truncated', `request ${stored.id} was stored with a truncated body: send the whole body as "body" to replay it`);
  }
  return {
    url,
    method: (input.method as string | undefined) ?? stored.method,
    headers: input.headers === undefined ? stored.headers : headerPairs(input.headers),
    body: input.body === undefined ? stored.body : bodyBytes(input.body),
  };
}
