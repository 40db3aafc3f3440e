import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FILTER_KEYS, filterFromQuery, filterParams, filterSearch, isFilterActive, type RequestFilter } from '../../../web/lib/request-filter.ts';

describe('request filter in the page URL', () => {
  it('reads the API parameters from the query, leaving blanks out and upper-casing the method', () => {
    expect(filterFromQuery({ q: ' ticket 35 ', method: 'post', header: 'X-Zendesk-Webhook-Id:01F', finding: '', signature: 'zendesk', other: 'x' } as Record<string, string>)).toEqual({
      q: 'ticket 35',
      method: 'POST',
      header: 'X-Zendesk-Webhook-Id:01F',
      signature: 'zendesk',
    });
  });

  it('writes the same filter as the same query string, in a fixed order', () => {
    expect(filterSearch({ signature: 'github', q: 'a&b=c' })).toBe('?q=a%26b%3Dc&signature=github');
    expect(filterSearch({ signature: 'github', q: 'a&b=c' })).toBe(filterSearch({ q: 'a&b=c', signature: 'github' }));
    expect(filterSearch({})).toBe('');
    expect(filterSearch({ q: '   ' })).toBe('');
  });

  it('is active only when some criterion is more than spaces', () => {
    expect(isFilterActive({})).toBe(false);
    expect(isFilterActive({ q: ' ', header: '' })).toBe(false);
    expect(isFilterActive({ finding: 'utf16' })).toBe(true);
  });

  it('survives the round trip through a URL unchanged, whatever the text', () => {
    const value = fc.option(fc.string({ maxLength: 20 }), { nil: undefined });
    const filters = fc.record(Object.fromEntries(FILTER_KEYS.map((key) => [key, value])) as Record<keyof RequestFilter, typeof value>, { requiredKeys: [] });
    fc.assert(
      fc.property(filters, (filter) => {
        const normal = filterFromQuery(filter);
        const url = new URL(`http://x/bins/b${filterSearch(normal)}`);
        expect(filterFromQuery(Object.fromEntries(url.searchParams))).toEqual(normal);
        expect(filterParams(normal).toString()).toBe(url.search.slice(1));
      }),
    );
  });
});
