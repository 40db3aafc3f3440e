import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requiredLiterals } from '../../../shared/rules/required-literals.ts';

/** Patterns from pieces that make and break runs of plain text: characters, escapes, quantifiers, groups, classes, alternation. */
const pieces = ['a', 'b', 'c', '.', '\\.', '\\d', '\\x61', '\\u0062', '\\x', '\\u0', '\\cJ', '[ab]', '[\\]a]', '(?:a|b)', '(ab)', '^', '$', '\\b', '*', '+', '?', '*?', '{2}', '{0,1}', '{1,}', '{', '}', '|'];
const pattern = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 8 }).map((parts) => parts.join(''));
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '.', 'x', 'u', '0', '{', '}', '\n'), maxLength: 24 });

function isPattern(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

describe('requiredLiterals', () => {
  it('names only texts that every match holds, on generated patterns and texts', () => {
    fc.assert(
      fc.property(pattern.filter(isPattern), fc.array(text, { minLength: 1, maxLength: 20 }), (source, texts) => {
        const literals = requiredLiterals(source);
        const regex = new RegExp(source);
        for (const subject of texts) {
          const match = regex.exec(subject)?.[0];
          if (match !== undefined) for (const literal of literals) expect(match, `/${source}/ on ${JSON.stringify(subject)}`).toContain(literal);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it.each<[string, string[]]>([
    ['"type":\\s*"zen:event-type:ticket\\.deleted"', ['"type":', '"zen:event-type:ticket.deleted"']],
    ['^curl/\\d+', ['curl/']],
    ['\\.xml$', ['.xml']],
    ['colou?r', ['colo', 'r']],
    ['ab*c', ['a', 'c']],
    ['ab+c', ['ab', 'c']],
    ['ab{2}c', ['ab', 'c']],
    ['ab{0,3}c', ['a', 'c']],
    ['ab*?c', ['a', 'c']],
    ['a(bc)?d[ef]g', ['a', 'd', 'g']],
    ['(x|y)z', ['z']],
    ['cat|dog', []],
    ['\\x41BC', ['BC']],
    ['\\x|abc', []],
    ['\\u0041\\u00', ['00']],
    ['\\cJx', ['x']],
    ['a{b', ['a', 'b']],
    ['\\d+x\\/y', ['x/y']],
    ['[\\]a]b', ['b']],
    ['(a(b)c)d', ['d']],
    ['.*', []],
    ['', []],
  ])('%s', (source, literals) => {
    expect(requiredLiterals(source)).toEqual(literals);
  });

  it('is never wrong: every text a pattern matches holds every text it names', () => {
    const patterns = [
      '"type":\\s*"zen:event-type:ticket\\.deleted"', 'colou?r', 'ab*c', 'ab+c', 'ab{2}c', 'ab{0,3}c', 'ab*?c', 'a(bc)?d[ef]g', '(x|y)z',
      '\\x41BC', '\\x|abc', '\\u0041\\u00', '\\cJx', 'a{b', '\\d+x\\/y', '[\\]a]b', '(a(b)c)d', 'a\\.b', '^ab$', 'a\\bb', 'x\\0y', 'a{,2}b', 'a{1,}b?c',
    ];
    const texts = ['abc', 'ac', 'abbc', 'abbbc', 'colour', 'color', 'xz', 'yz', 'ABC', 'x', 'abc', 'Au00', '\nx', 'a{b', '12x/y', ']b', 'abcd', 'a.b', 'ab', 'a b', 'x\0y', 'a{,2}b', 'ab', 'aac', 'adeg', 'abcdfg', '"type": "zen:event-type:ticket.deleted"'];
    let matched = 0;
    for (const source of patterns) {
      const regex = new RegExp(source);
      const literals = requiredLiterals(source);
      for (const text of texts) {
        if (!regex.test(text)) continue;
        matched++;
        for (const literal of literals) expect(text, `/${source}/ matches ${JSON.stringify(text)}`).toContain(literal);
      }
    }
    expect(matched).toBeGreaterThan(20);
  });
});
