/** Characters that look like nothing, or like something else, once pasted from a document or chat. */

const pastedCharacters = new Map<number, string>([
  [0x00a0, 'NO-BREAK SPACE'],
  [0x00ad, 'SOFT HYPHEN'],
  [0x180e, 'MONGOLIAN VOWEL SEPARATOR'],
  [0x2000, 'EN QUAD'],
  [0x2001, 'EM QUAD'],
  [0x2002, 'EN SPACE'],
  [0x2003, 'EM SPACE'],
  [0x2004, 'THREE-PER-EM SPACE'],
  [0x2005, 'FOUR-PER-EM SPACE'],
  [0x2006, 'SIX-PER-EM SPACE'],
  [0x2007, 'FIGURE SPACE'],
  [0x2008, 'PUNCTUATION SPACE'],
  [0x2009, 'THIN SPACE'],
  [0x200a, 'HAIR SPACE'],
  [0x200b, 'ZERO WIDTH SPACE'],
  [0x200c, 'ZERO WIDTH NON-JOINER'],
  [0x200d, 'ZERO WIDTH JOINER'],
  [0x200e, 'LEFT-TO-RIGHT MARK'],
  [0x200f, 'RIGHT-TO-LEFT MARK'],
  [0x2013, 'EN DASH'],
  [0x2014, 'EM DASH'],
  [0x2018, 'LEFT SINGLE QUOTATION MARK'],
  [0x2019, 'RIGHT SINGLE QUOTATION MARK'],
  [0x201c, 'LEFT DOUBLE QUOTATION MARK'],
  [0x201d, 'RIGHT DOUBLE QUOTATION MARK'],
  [0x2028, 'LINE SEPARATOR'],
  [0x2029, 'PARAGRAPH SEPARATOR'],
  [0x202a, 'LEFT-TO-RIGHT EMBEDDING'],
  [0x202b, 'RIGHT-TO-LEFT EMBEDDING'],
  [0x202c, 'POP DIRECTIONAL FORMATTING'],
  [0x202d, 'LEFT-TO-RIGHT OVERRIDE'],
  [0x202e, 'RIGHT-TO-LEFT OVERRIDE'],
  [0x202f, 'NARROW NO-BREAK SPACE'],
  [0x205f, 'MEDIUM MATHEMATICAL SPACE'],
  [0x2060, 'WORD JOINER'],
  [0x3000, 'IDEOGRAPHIC SPACE'],
  [0xfeff, 'BYTE ORDER MARK (ZERO WIDTH NO-BREAK SPACE)'],
]);

/** Matches any character of the table above; kept in step with it. */
const pastedPattern = /[\u00a0\u00ad\u180e\u2000-\u200f\u2013\u2014\u2018\u2019\u201c\u201d\u2028-\u202f\u205f\u2060\u3000\ufeff]/;

export interface PastedCharacter {
  /** 1-based position in characters (code points), as a person counts. */
  position: number;
  codePoint: number;
  name: string;
}

/**
 * Finds invisible and typographic characters (zero-width space, NBSP, BOM, soft hyphen, curly
 * quotes, dashes) that text picks up when copied from a document, web page or chat.
 *
 * @example
 * findPastedCharacters('abc\u200b'); // [{ position: 4, codePoint: 0x200b, name: 'ZERO WIDTH SPACE' }]
 */
export function findPastedCharacters(text: string): PastedCharacter[] {
  if (!pastedPattern.test(text)) return [];
  const found: PastedCharacter[] = [];
  let position = 0;
  for (const char of text) {
    position++;
    const codePoint = char.codePointAt(0) ?? 0;
    const name = pastedCharacters.get(codePoint);
    if (name !== undefined) found.push({ position, codePoint, name });
  }
  return found;
}

/**
 * `text` without the characters {@link findPastedCharacters} reports, spaces among them turned
 * into plain spaces: what the person meant to type.
 *
 * @example
 * withoutPastedCharacters('Basic\u00a0abc\u200b'); // 'Basic abc'
 */
export function withoutPastedCharacters(text: string): string {
  if (!pastedPattern.test(text)) return text;
  return text
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[\u00ad\u180e\u200b-\u200f\u2028-\u202e\u2060\ufeff]/g, '');
}

/**
 * "U+200B ZERO WIDTH SPACE": how a finding names a character without showing it.
 *
 * @example
 * characterName(0xa0); // 'U+00A0 NO-BREAK SPACE'
 */
export function characterName(codePoint: number): string {
  const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
  const name = pastedCharacters.get(codePoint);
  return name === undefined ? `U+${hex}` : `U+${hex} ${name}`;
}

/**
 * Lists pasted characters as a phrase: "a U+200B ZERO WIDTH SPACE at character 41".
 *
 * @example
 * describePastedCharacters([{ position: 3, codePoint: 0xa0, name: 'NO-BREAK SPACE' }]);
 * // 'a U+00A0 NO-BREAK SPACE at character 3'
 */
export function describePastedCharacters(found: readonly PastedCharacter[]): string {
  const shown = found.slice(0, 3).map((c) => `a ${characterName(c.codePoint)} at character ${c.position}`);
  const more = found.length > 3 ? ` and ${found.length - 3} more` : '';
  return shown.join(', ') + more;
}

/**
 * True when `text` has characters outside ASCII other than pasted ones.
 *
 * @example
 * hasNonAscii('pässword'); // true
 */
export function hasNonAscii(text: string): boolean {
  // Pasted characters are replaced with ASCII or removed, so ASCII text needs no cleaning.
  return nonAscii.test(text) && nonAscii.test(withoutPastedCharacters(text));
}

const nonAscii = /[^\u0000-\u007f]/;
