import { headerValueProblem, isToken } from './header-rules.ts';

/** The statuses a bin may answer with: a final response that carries a body or may. */
export const binStatusRange = { min: 200, max: 599 } as const;

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
