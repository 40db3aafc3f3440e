import { describe, expect, it } from 'vitest';
import { textSearch } from '../../../shared/rules/conditions/text-search.ts';

describe('textSearch', () => {
  it.each<[string, string, boolean]>([
    ['"status":"CLOSED"', '{"id":1,"status":"CLOSED"}', true],
    ['"status":"CLOSED"', '{"id":1,"status":"OPEN"}', false],
    // The rest without the quote is there, the whole literal is not.
    ['"status":"CLOSED"', "{'status\":\"CLOSED\"'}", false],
    ['"status":"CLOSED"', 'status":"CLOSED"', false],
    ['{ "a": [1', 'x={ "a": [1, 2]', true],
    ['{ "a": [1', 'x={"a": [1, 2]', false],
    ['":', '{"a":1}', true],
    ['":', '{"a" :1}', false],
    ['zen:event-type:ticket.deleted', '{"type":"zen:event-type:ticket.deleted"}', true],
    ['zen:event-type:ticket.deleted', '{"type":"zen:event-type:ticket.created"}', false],
    ['', 'anything', true],
  ])('%j in %j: %s', (literal, text, expected) => {
    expect(textSearch(literal)(text)).toBe(expected);
    expect(text.includes(literal)).toBe(expected);
  });
});
