import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evictionPrefix, expiredPrefix, isOverLimit, type AgedRequest } from '../../server/store/retention-policy.ts';

const day = 86_400_000;
const now = Date.UTC(2025, 0, 31);
/** The oldest requests, oldest first (ids in order), received at any time in the last 20 days. */
const oldest = fc
  .array(fc.record({ bin: fc.constantFrom('a', 'b', 'c'), receivedAt: fc.integer({ min: now - 20 * day, max: now }) }), { maxLength: 60 })
  .map((rows): AgedRequest<number>[] => rows.map((row, i) => ({ id: i + 1, ...row })));

describe('the retention policy', () => {
  it('expires the longest run of the oldest requests past the retention period, and recounts their bins', () => {
    fc.assert(
      fc.property(oldest, fc.integer({ min: 1, max: 20 }), (rows, days) => {
        const deletion = expiredPrefix(rows, now, days);
        const firstKept = rows.findIndex((row) => row.receivedAt >= now - days * day);
        const expired = firstKept === -1 ? rows : rows.slice(0, firstKept);
        if (expired.length === 0) {
          expect(deletion).toBeUndefined();
        } else {
          expect(deletion!.upTo).toBe(expired.at(-1)!.id);
          expect(new Set(deletion!.bins)).toEqual(new Set(expired.map((row) => row.bin)));
        }
      }),
    );
  });

  it('evicts a tenth of the oldest requests at a time, at least one', () => {
    const rows = (count: number) => Array.from({ length: count }, (_, i) => ({ id: i + 1, bin: 'a', receivedAt: now }));
    expect(evictionPrefix(rows(1000))!.upTo).toBe(100);
    expect(evictionPrefix(rows(7))!.upTo).toBe(1);
    expect(evictionPrefix(rows(0))).toBeUndefined();
  });

  it('trims a bin once it holds more than 1% over its limit', () => {
    expect(isOverLimit(10_100, 10_000)).toBe(false);
    expect(isOverLimit(10_101, 10_000)).toBe(true);
    expect(isOverLimit(5, 5)).toBe(false);
    expect(isOverLimit(6, 5)).toBe(true);
  });
});
