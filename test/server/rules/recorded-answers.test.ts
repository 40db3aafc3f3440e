import { describe, expect, it } from 'vitest';
import { RecordedAnswers } from '../../../server/rules/recorded-answers.ts';

const rule = { id: 'r1', name: 'Zendesk "API"' };

describe('RecordedAnswers', () => {
  it('writes what JSON.stringify writes, and gives the same text again for the same outcome', () => {
    const recorded = new RecordedAnswers();
    const reasons = ['the method is GET', 'the path "/a\\b" is not /api/*', 'the API token matches'];
    const first = recorded.text(401, rule, reasons);
    expect(first).toBe(JSON.stringify({ status: 401, rule, reasons }));
    expect(recorded.text(401, { ...rule }, [...reasons])).toBe(first);
    expect(recorded.text(200, null, [])).toBe(JSON.stringify({ status: 200, rule: null, reasons: [] }));
  });

  it('tells apart outcomes that share a beginning: fewer reasons, another status, another rule name', () => {
    const recorded = new RecordedAnswers();
    const outcomes: [number, { id: string; name: string | null } | null, string[]][] = [
      [401, rule, ['a', 'b']],
      [401, rule, ['a']],
      [401, rule, []],
      [429, rule, ['a', 'b']],
      [401, { id: 'r1', name: null }, ['a', 'b']],
      [401, null, ['a', 'b']],
      [401, rule, ['a', 'b', 'c']],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [status, by, reasons] of outcomes) expect(recorded.text(status, by, reasons)).toBe(JSON.stringify({ status, rule: by, reasons }));
    }
  });

  it('stays right past the number of answers it keeps, when every request names another path', () => {
    const recorded = new RecordedAnswers();
    for (let at = 0; at < 1_000; at++) {
      const reasons = [`the path "/hook/${at % 600}" is not /api/*`, 'the API token differs'];
      expect(recorded.text(401, rule, reasons)).toBe(JSON.stringify({ status: 401, rule, reasons }));
    }
  });
});
