import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines } from '../../../shared/compare/line-diff.ts';

describe('diffLines', () => {
  it('keeps common lines and marks the rest', () => {
    expect(diffLines(['a', 'b', 'c'], ['a', 'x', 'c'])).toEqual([
      { op: 'same', text: 'a' },
      { op: 'removed', text: 'b' },
      { op: 'added', text: 'x' },
      { op: 'same', text: 'c' },
    ]);
  });

  it('gives back A from its same and removed lines, and B from its same and added lines', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', '', '{', '}'), { maxLength: 40 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const diff = diffLines(a, b);
        expect(diff.filter((line) => line.op !== 'added').map((line) => line.text)).toEqual(a);
        expect(diff.filter((line) => line.op !== 'removed').map((line) => line.text)).toEqual(b);
      }),
    );
  });

  it('shows very different long texts as removed, then added, instead of searching without end', () => {
    const a = Array.from({ length: 5000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 5000 }, (_, i) => `b${i}`);
    const diff = diffLines(a, b);
    expect(diff.slice(0, 5000).every((line) => line.op === 'removed')).toBe(true);
    expect(diff.slice(5000).every((line) => line.op === 'added')).toBe(true);
  });
});
