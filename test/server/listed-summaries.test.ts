import { describe, expect, it } from 'vitest';
import { ListedSummaries } from '../../server/store/listed-summaries.ts';
import type { SummaryParts } from '../../server/request-views.ts';

const parts = (contentType: string): SummaryParts => ({ contentType, auth: { scheme: null, user: null, kind: null, worst: null } });

describe('ListedSummaries', () => {
  it('analyses a request once, then answers from what it kept', () => {
    const listed = new ListedSummaries(2);
    let analysed = 0;
    const compute = () => (analysed++, parts('text/plain'));
    expect(listed.partsOf('1', compute)).toEqual(parts('text/plain'));
    expect(listed.partsOf('1', compute)).toEqual(parts('text/plain'));
    expect(analysed).toBe(1);
  });

  it('drops the oldest kept first once full', () => {
    const listed = new ListedSummaries(2);
    listed.partsOf('1', () => parts('a'));
    listed.partsOf('2', () => parts('b'));
    listed.partsOf('3', () => parts('c'));
    expect(listed.partsOf('2', () => parts('again'))).toEqual(parts('b'));
    expect(listed.partsOf('1', () => parts('again'))).toEqual(parts('again'));
  });
});
