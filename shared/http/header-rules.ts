/** An HTTP token (RFC 9110 §5.6.2): what a header name and a method are made of. */
const tokenChars = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const token = new RegExp(`^${tokenChars}$`);
/** `Name: value`; the spaces and tabs around the value are not part of it (RFC 9112 §5.1). */
const headerLine = new RegExp(`^(${tokenChars})[ \t]*:[ \t]*(.*?)[ \t]*$`, 's');

/**
 * A character that does not go out as written. Node refuses all but tab, printable ASCII and
 * U+0080–U+00FF, and sends the latter as UTF-8 when the head goes out with a string body but as
 * Latin-1 otherwise: only ASCII arrives as written.
 */
const unsendable = /[^\t\x20-\x7e]/u;

/**
 * True when `text` is an HTTP token: a header name that Node's `validateHeaderName` and the fetch
 * `Headers` both take, or a method name.
 *
 * @example
 * isToken('Retry-After'); // true
 * isToken('X Trace'); // false
 */
export function isToken(text: string): boolean {
  return token.test(text);
}

/**
 * Reads one `Name: value` line as pasted or typed: the name a token, the value without the spaces
 * and tabs around it (any other character stays, for the caller to judge). Spaces before the colon
 * are forgiven: HTTP refuses them, but what such a line names is plain. Null when the line is not
 * a header line.
 *
 * @example
 * readHeaderLine('Authorization:  Basic bWU6cHc= '); // ['Authorization', 'Basic bWU6cHc=']
 * readHeaderLine('me@example.com:secret'); // null
 */
export function readHeaderLine(line: string): [name: string, value: string] | null {
  const match = headerLine.exec(line);
  return match ? [match[1]!, match[2]!] : null;
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
