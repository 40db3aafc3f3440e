/** String literals for JavaScript and Python snippets. */

// Invisible or control characters: written as \u escapes so the reader sees them.
const invisible = /[\u007f-\u00a0\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]/g;

/**
 * A double-quoted literal valid in both JavaScript and Python that evaluates to exactly `text`.
 *
 * @example
 * stringLiteral('say "hi"\n') // "say \"hi\"\n"
 */
export function stringLiteral(text: string): string {
  return JSON.stringify(text).replace(invisible, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A literal of the UTF-8 bytes of `text`, one character per byte: what fetch needs for a header
 * value (it sends each character as one Latin-1 byte). ASCII text is unchanged.
 *
 * @example
 * byteStringLiteral('café') // "caf\u00c3\u00a9"
 */
export function byteStringLiteral(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return stringLiteral(text);
  const bytes = String.fromCharCode(...new TextEncoder().encode(text));
  return JSON.stringify(bytes).replace(/[\u007f-\u00ff]/g, (char) => `\\u00${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Groups headers by name, case-insensitively, in first-seen order: for APIs that take one value per name.
 *
 * @example
 * mergedHeaders([['X-Tag', 'a'], ['x-tag', 'b']]) // [{ name: 'X-Tag', values: ['a', 'b'] }]
 */
export function mergedHeaders(headers: [string, string][]): { name: string; values: string[] }[] {
  const byName = new Map<string, { name: string; values: string[] }>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const entry = byName.get(key);
    if (entry) entry.values.push(value);
    else byName.set(key, { name, values: [value] });
  }
  return [...byName.values()];
}
