import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeFormComponent, parseFormPairs } from '../../../web/lib/form.ts';

describe('parseFormPairs', () => {
  it('keeps order and duplicates, and gives a bare name an empty value', () => {
    expect(parseFormPairs('a=1&b=&a=2&flag')).toEqual([
      ['a', '1'],
      ['b', ''],
      ['a', '2'],
      ['flag', ''],
    ]);
  });

  it('decodes + as a space and percent escapes as UTF-8', () => {
    expect(parseFormPairs('?name=J%C3%BCrgen+M&eq=a%3Db')).toEqual([
      ['name', 'Jürgen M'],
      ['eq', 'a=b'],
    ]);
  });

  it('keeps a malformed escape as written instead of failing', () => {
    expect(decodeFormComponent('100%')).toBe('100%');
    expect(parseFormPairs('p=%E0%A4%A')).toEqual([['p', '%E0%A4%A']]);
  });

  it('reads back whatever URLSearchParams encodes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' })), { maxLength: 8 }), (pairs) => {
        expect(parseFormPairs(new URLSearchParams(pairs).toString())).toEqual(pairs);
      }),
    );
  });
});
