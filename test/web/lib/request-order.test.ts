import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { RequestSummary } from '../../../shared/api.ts';
import { compareIds, mergeNewestFirst } from '../../../web/lib/request-order.ts';

const summary = (id: string): RequestSummary => ({
  id,
  bin: 'b',
  method: 'GET',
  path: '/',
  query: '',
  receivedAt: '2024-05-01T12:00:00Z',
  rejected: false,
  size: 0,
  contentType: null,
  auth: { scheme: null, user: null, kind: null, worst: null },
});

describe('compareIds', () => {
  it('orders numeric ids as numbers, so request 10 is newer than request 9', () => {
    expect(compareIds('9', '10')).toBeLessThan(0);
    expect(compareIds('10', '9')).toBeGreaterThan(0);
    expect(compareIds('10', '10')).toBe(0);
  });
});

describe('mergeNewestFirst', () => {
  it('puts a live request on top and ignores one that is already listed', () => {
    const list = [summary('5'), summary('4')];
    expect(mergeNewestFirst(list, [summary('6')]).map((r) => r.id)).toEqual(['6', '5', '4']);
    expect(mergeNewestFirst(list, [summary('5')])).toBe(list);
  });

  it('appends an older page below', () => {
    expect(mergeNewestFirst([summary('12'), summary('11')], [summary('10'), summary('9')]).map((r) => r.id)).toEqual(['12', '11', '10', '9']);
  });

  it('whatever order pages and events arrive in, lists each request once, newest first', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 20 }), { maxLength: 10 }), (batches) => {
        let list: RequestSummary[] = [];
        for (const batch of batches) list = mergeNewestFirst(list, batch.map((n) => summary(String(n))));
        const expected = [...new Set(batches.flat())].sort((a, b) => b - a).map(String);
        expect(list.map((r) => r.id)).toEqual(expected);
      }),
    );
  });
});
