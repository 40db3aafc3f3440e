import type { BinResponse } from '../api.ts';
import { headerValueProblem, isToken } from './header-rules.ts';

/**
 * The statuses a bin may answer with: final responses. A 1xx is not an answer (the client waits on
 * for the final one), and a fetch `Response`, which the capture route answers with, refuses it.
 */
export const binStatusRange = { min: 200, max: 599 } as const;

/** The longest a bin may wait before it answers, in milliseconds. */
export const maxBinDelayMs = 30_000;

/**
 * True for a status a bin may answer with.
 *
 * @example
 * isBinStatus(503); // true
 * isBinStatus(101); // false: switching protocols is not a response a bin can give
 */
export function isBinStatus(status: unknown): status is number {
  return Number.isInteger(status) && (status as number) >= binStatusRange.min && (status as number) <= binStatusRange.max;
}

/**
 * True for a status whose response never has a body: 204 No Content, 205 Reset Content and 304 Not
 * Modified (RFC 9110 §15.3.5, §15.3.6, §15.4.5). A fetch `Response` with a body refuses them.
 *
 * @example
 * statusHasNoBody(204); // true
 */
export function statusHasNoBody(status: number): boolean {
  return status === 204 || status === 205 || status === 304;
}

const framing = 'authbin frames the response itself, from its body';
const hopByHop = 'it is about the connection, which authbin manages';

/** Headers a bin response may not set (lower case), and why. */
const refused = new Map<string, string>([
  ['content-length', framing],
  ['transfer-encoding', framing],
  ['trailer', framing],
  ['connection', hopByHop],
  ['keep-alive', hopByHop],
  ['proxy-connection', hopByHop],
  ['upgrade', hopByHop],
  ['te', hopByHop],
  ['content-security-policy', 'authbin sends its own sandbox policy so that a bin page cannot act as authbin; set "allowScripts" for a page that needs scripts'],
  ['x-content-type-options', 'authbin always sends "nosniff"'],
  ['clear-site-data', "it would wipe authbin's own login and storage in the browser that opens the capture URL"],
]);

/** The name a `Set-Cookie` value sets, as a browser reads it (before the first "=", or the whole pair). */
function cookieName(setCookie: string): string {
  const pair = setCookie.split(';', 1)[0]!;
  const equals = pair.indexOf('=');
  return (equals === -1 ? pair : pair.slice(0, equals)).trim();
}

/**
 * Why a bin response may not carry this header, or null when it may: the name must be a token, the
 * value must be sent exactly as written (see `headerValueProblem`), framing, hop-by-hop and
 * authbin's own security headers are refused, and so is a `Set-Cookie` for `loginCookie` in any
 * letter case (the server passes its session cookie's name).
 *
 * @example
 * binHeaderProblem('Retry-After', '7'); // null
 * binHeaderProblem('Content-Length', '2'); // 'the bin response may not set "Content-Length": authbin frames …'
 */
export function binHeaderProblem(name: string, value: unknown, loginCookie?: string): string | null {
  if (!isToken(name)) return `"${name.slice(0, 60)}" is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only)`;
  const lower = name.toLowerCase();
  const why = refused.get(lower);
  if (why !== undefined) return `the bin response may not set "${name}": ${why}`;
  if (typeof value !== 'string') return `the value of header "${name}" must be a string`;
  const valueProblem = headerValueProblem(value);
  if (valueProblem !== null) return `the value of header "${name}" ${valueProblem}`;
  if (loginCookie !== undefined && lower === 'set-cookie' && cookieName(value).toLowerCase() === loginCookie.toLowerCase()) {
    return `the bin response may not set authbin's own login cookie "${loginCookie}"`;
  }
  return null;
}

const responseFields = new Set(['status', 'headers', 'body', 'delayMs', 'allowScripts']);

/**
 * Reads a bin's response settings as the API, `--bin` and the bin response form take them: the
 * response, or the first thing wrong with it. Headers are checked by `binHeaderProblem` (with the
 * login cookie's name when the server reads them); a status that has no body refuses a body.
 *
 * @example
 * readBinResponse({ status: 503, headers: { 'Retry-After': '7' } }); // { response: { status: 503, headers: { 'Retry-After': '7' } } }
 * readBinResponse({ status: 204, body: 'done' }); // { problem: 'a 204 response has no body: …' }
 */
export function readBinResponse(value: unknown, loginCookie?: string): { response: BinResponse } | { problem: string } {
  const problem = (text: string) => ({ problem: text });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return problem('"response" must be an object or null');
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !responseFields.has(key));
  if (unknown !== undefined) return problem(`unknown response field "${unknown}": use status, headers, body, delayMs, allowScripts`);
  const { status, headers, body, delayMs, allowScripts } = fields;
  const response: BinResponse = {};
  if (status !== undefined) {
    if (!isBinStatus(status)) return problem(`"status" must be a whole number from ${binStatusRange.min} to ${binStatusRange.max}`);
    response.status = status;
  }
  if (headers !== undefined) {
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return problem('"headers" must be an object of header names to string values');
    for (const [name, headerValue] of Object.entries(headers)) {
      const headerProblem = binHeaderProblem(name, headerValue, loginCookie);
      if (headerProblem !== null) return problem(headerProblem);
    }
    response.headers = headers as Record<string, string>;
  }
  if (body !== undefined) {
    if (typeof body !== 'string') return problem('"body" must be a string');
    if (body !== '' && response.status !== undefined && statusHasNoBody(response.status)) {
      return problem(`a ${response.status} response has no body: leave "body" empty or pick another status`);
    }
    response.body = body;
  }
  if (delayMs !== undefined) {
    if (!Number.isInteger(delayMs) || (delayMs as number) < 0 || (delayMs as number) > maxBinDelayMs) {
      return problem(`"delayMs" must be a whole number from 0 to ${maxBinDelayMs}`);
    }
    response.delayMs = delayMs as number;
  }
  if (allowScripts !== undefined) {
    if (typeof allowScripts !== 'boolean') return problem('"allowScripts" must be true or false');
    response.allowScripts = allowScripts;
  }
  return { response };
}
