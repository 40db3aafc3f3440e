import { findPastedCharacters } from '../auth/characters.ts';

const escapes: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\t': '\\t' };

/**
 * `text` with what does not show made visible: `\r`, `\n`, `\t`, and pasted or control characters
 * (BOM, zero-width and no-break spaces) as `⟨U+FEFF⟩`, so two values that look alike on screen do not.
 *
 * @example
 * visibleText('abc\u00a0\n'); // 'abc⟨U+00A0⟩\\n'
 */
export function visibleText(text: string): string {
  const pasted = new Set(findPastedCharacters(text).map((c) => c.position));
  let out = '';
  let position = 0;
  for (const char of text) {
    position++;
    const code = char.codePointAt(0) ?? 0;
    const escape = escapes[char];
    if (escape !== undefined) out += escape;
    else if ((pasted.has(position) && code !== 0x2013 && code !== 0x2014 && (code < 0x2018 || code > 0x201d)) || code < 0x20 || code === 0x7f) {
      out += `⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩`;
    } else out += char;
  }
  return out;
}
