import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatJson, tokensToText } from '../../../web/lib/json-format.ts';

describe('formatJson', () => {
  it('indents by two spaces and colours keys apart from string values', () => {
    const tokens = formatJson('{"a":1,"b":["x",true,null],"c":{}}');
    expect(tokensToText(tokens!)).toBe('{\n  "a": 1,\n  "b": [\n    "x",\n    true,\n    null\n  ],\n  "c": {}\n}');
    expect(tokens!.filter((t) => t.kind === 'key').map((t) => t.text)).toEqual(['"a"', '"b"', '"c"']);
    expect(tokens!.filter((t) => t.kind === 'string').map((t) => t.text)).toEqual(['"x"']);
    expect(tokens!.filter((t) => t.kind === 'literal').map((t) => t.text)).toEqual(['true', 'null']);
  });

  it('keeps numbers and escapes exactly as sent, which JSON.parse would change', () => {
    const text = tokensToText(formatJson('{"id":12345678901234567890,"s":"\\u00e9\\n","d":1.50}')!);
    expect(text).toContain('12345678901234567890');
    expect(text).toContain('"\\u00e9\\n"');
    expect(text).toContain('1.50');
  });

  it('keeps duplicate keys, which a parser would merge', () => {
    expect(tokensToText(formatJson('{"a":1,"a":2}')!)).toBe('{\n  "a": 1,\n  "a": 2\n}');
  });

  it('returns null for text that is not JSON', () => {
    expect(formatJson('{"a":')).toBeNull();
    expect(formatJson('hello')).toBeNull();
    expect(formatJson('')).toBeNull();
  });

  it('formats any JSON into text that parses to the same value', () => {
    fc.assert(
      fc.property(fc.json(), (json) => {
        const tokens = formatJson(json);
        expect(tokens).not.toBeNull();
        expect(JSON.parse(tokensToText(tokens!))).toEqual(JSON.parse(json));
      }),
      { numRuns: 300 },
    );
  });

  it('is not fooled by JSON-looking characters inside strings', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const json = JSON.stringify({ k: s });
        const tokens = formatJson(json)!;
        expect(tokens.filter((t) => t.kind === 'string').map((t) => JSON.parse(t.text))).toEqual([s]);
      }),
    );
  });
});
