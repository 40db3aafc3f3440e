/**
 * Quoting for bash and zsh that keeps every byte: plain `'…'` when the text is all visible
 * characters, ANSI-C `$'…'` when it holds line breaks, control or invisible characters.
 */

// Control characters, and invisible ones a reader could not see in '…' (NBSP, zero-width, BOM…).
const needsEscape = /[\u0000-\u001f\u007f-\u00a0\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]/;

const namedEscapes: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\', "'": "\\'" };

const utf8 = new TextEncoder();

function hexBytes(char: string): string {
  return [...utf8.encode(char)].map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('');
}

/**
 * A shell word that expands to exactly `text`. NUL cannot be passed in an argument at all: callers
 * send such data through a file.
 *
 * @example
 * shellQuote("it's") // 'it'\''s'
 * shellQuote('a\r\nb') // $'a\r\nb'
 */
export function shellQuote(text: string): string {
  if (text.includes('\0')) throw new RangeError('a shell argument cannot hold a NUL byte');
  if (!needsEscape.test(text)) return `'${text.replace(/'/g, `'\\''`)}'`;
  let out = '';
  for (const char of text) {
    const named = namedEscapes[char];
    if (named !== undefined) out += named;
    else out += needsEscape.test(char) ? hexBytes(char) : char;
  }
  return `$'${out}'`;
}

