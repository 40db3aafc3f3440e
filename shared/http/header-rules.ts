/** An HTTP token (RFC 9110 §5.6.2): what a header name is made of. */
const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * A character that does not go out as written. Node refuses all but tab, printable ASCII and
 * U+0080–U+00FF, and sends the latter as UTF-8 when the head goes out with a string body but as
 * Latin-1 otherwise: only ASCII arrives as written.
 */
const unsendable = /[^\t\x20-\x7e]/u;

/**
 * True when `name` is a header name that Node's `validateHeaderName` and the fetch `Headers` both take.
 *
 * @example
 * isHeaderName('Retry-After'); // true
 * isHeaderName('X Trace'); // false
 */
export function isHeaderName(name: string): boolean {
  return token.test(name);
}

/**
 * Why a header value cannot be sent exactly as written, or null when it can: tab and printable
 * ASCII only (what Node's `validateHeaderValue` takes and sends unchanged), and no leading or
 * trailing space or tab (the fetch `Headers` would strip it). Empty is fine.
 *
 * @example
 * headerValueProblem('text/plain'); // null
 * headerValueProblem('a\u2028b'); // 'contains U+2028, which a header value cannot carry …'
 */
export function headerValueProblem(value: string): string | null {
  const bad = unsendable.exec(value);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `contains U+${code}, which a header value cannot carry as written (only printable ASCII, spaces and tabs)`;
  }
  if (/^[\t ]|[\t ]$/.test(value)) return 'starts or ends with a space or tab, which HTTP drops';
  return null;
}
