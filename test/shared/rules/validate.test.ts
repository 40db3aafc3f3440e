import { describe, expect, it } from 'vitest';
import { basicChallengePreset, flakyPreset, retryPreset, zendeskApiPreset } from '../../../shared/rules/presets.ts';
import { maxRulePatternLength, readRules } from '../../../shared/rules/validate.ts';

const problems = (value: unknown) => {
  const read = readRules(value);
  return 'problems' in read ? read.problems : [];
};

describe('reading rules', () => {
  it('takes every preset and every condition kind, and drops the answered counter', () => {
    const rules = [
      ...zendeskApiPreset({ kind: 'api-token', email: 'me@example.com', token: 'tok' }),
      ...basicChallengePreset({ kind: 'api-key', header: 'X-Api-Key', value: 'k' }),
      ...retryPreset({ times: 2, retryAfter: 7 }),
      ...flakyPreset({ times: 1 }),
      {
        id: 'r1',
        name: 'all kinds',
        when: [
          { method: 'POST' },
          { path: '/api/v2/*', not: true },
          { pathRegex: '^/x/\\d+$' },
          { query: { name: 'page' } },
          { header: { name: 'X-Id', contains: 'a' } },
          { body: { json: { path: '$.ticket.id', equals: 1 } } },
          { finding: 'utf16' },
          { signature: { scheme: 'zendesk', secret: 's' } },
        ],
        respond: { status: 418, delayMs: 5 },
        times: 3,
        answered: 2,
      },
    ];
    const read = readRules(rules);
    expect(read).toEqual({ rules: rules.map(({ answered: _answered, ...rule }) => rule) });
  });

  it('names every problem by its path', () => {
    expect(
      problems([
        { id: '', when: [], respond: {} },
        {
          id: '',
          when: [{ header: { name: 'X-Id', matches: '(' } }, { method: 'POST', path: '/' }, { finding: 'nope' }, { credentials: { kind: 'password', email: '', password: 'x' } }],
          respond: { status: 99, headers: { 'Content-Length': '1' }, delayMs: -1, extra: 1 },
          times: 0,
        },
      ]),
    ).toEqual([
      { path: 'rules[1].when[0].header.matches', message: 'invalid regular expression' },
      { path: 'rules[1].when[1]', message: expect.stringMatching(/exactly one of/) },
      { path: 'rules[1].when[2].finding', message: expect.stringMatching(/not a finding/) },
      { path: 'rules[1].when[3].credentials.email', message: 'must be filled in' },
      { path: 'rules[1].respond.extra', message: expect.stringMatching(/not a response field/) },
      { path: 'rules[1].respond.status', message: expect.stringMatching(/200 to 599/) },
      { path: 'rules[1].respond.headers.Content-Length', message: expect.stringMatching(/Content-Length/) },
      { path: 'rules[1].respond.delayMs', message: expect.stringMatching(/whole number/) },
      { path: 'rules[1].times', message: expect.stringMatching(/1 or more/) },
    ]);
  });

  it('bounds the length of a pattern', () => {
    expect(problems([{ id: '', when: [{ pathRegex: 'a'.repeat(maxRulePatternLength + 1) }], respond: {} }])).toEqual([
      { path: 'rules[0].when[0].pathRegex', message: `is longer than ${maxRulePatternLength} characters` },
    ]);
    expect(problems({ rules: [] })).toEqual([{ path: 'rules', message: 'must be a list of rules' }]);
  });
});
