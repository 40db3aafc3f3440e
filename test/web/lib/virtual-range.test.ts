import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scrollToReveal, virtualRange } from '../../../web/lib/virtual-range.ts';

describe('virtualRange', () => {
  it('renders the visible rows plus a few on each side, not the whole list', () => {
    expect(virtualRange(0, 580, 58, 100_000, 8)).toEqual({ start: 0, end: 19 });
    expect(virtualRange(58 * 1000, 580, 58, 100_000, 8)).toEqual({ start: 992, end: 1019 });
  });

  it('stays inside the list at its end and when empty', () => {
    expect(virtualRange(58 * 95, 580, 58, 100, 8)).toEqual({ start: 87, end: 100 });
    expect(virtualRange(0, 580, 58, 0)).toEqual({ start: 0, end: 0 });
  });

  it('always covers every row that is on screen', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 100 }), fc.nat(20), fc.double({ min: 0, max: 1, noNaN: true }), (count, height, row, overscan, position) => {
        const scrollTop = Math.floor(position * count * row);
        const range = virtualRange(scrollTop, height, row, count, overscan);
        const firstVisible = Math.floor(scrollTop / row);
        const lastVisible = Math.min(count - 1, Math.floor((scrollTop + height - 1) / row));
        expect(range.start).toBeGreaterThanOrEqual(0);
        expect(range.end).toBeLessThanOrEqual(count);
        if (firstVisible < count) {
          expect(range.start).toBeLessThanOrEqual(firstVisible);
          expect(range.end).toBeGreaterThan(lastVisible);
        }
      }),
    );
  });
});

describe('scrollToReveal', () => {
  it('scrolls up or down just enough to show a row, and not at all when it is visible', () => {
    expect(scrollToReveal(2, 300, 200, 50)).toBe(100);
    expect(scrollToReveal(10, 0, 200, 50)).toBe(350);
    expect(scrollToReveal(1, 0, 200, 50)).toBeNull();
  });
});
