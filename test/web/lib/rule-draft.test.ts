import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findingCodes } from '../../../shared/auth/index.ts';
import type { Expected } from '../../../shared/auth/types.ts';
import type { Condition, Rule } from '../../../shared/rules/types.ts';
import { SIGNATURE_SCHEMES } from '../../../shared/signatures/scheme-names.ts';
import { draftsFromRules, emptyCondition, emptyRule, fieldOfPath, moveItem, problemFromMessage, rulesFromDrafts } from '../../../web/lib/rule-draft.ts';

const text = fc.string({ maxLength: 12 });
const tokenChar = fc.constantFrom(...'ABCXYZabcxyz0189-_!#'.split(''));
const headerName = fc.string({ unit: tokenChar, minLength: 1, maxLength: 10 });
// A header value as a "Name: value" line can carry it: no line break, nothing blank at either end.
const headerValue = fc.string({ unit: fc.constantFrom(...'ab9 /{}:;="'.split('')), maxLength: 10 }).map((v) => v.trim());
const textMatch = fc.oneof(
  fc.constant({}),
  text.map((equals) => ({ equals })),
  text.map((contains) => ({ contains })),
  text.map((matches) => ({ matches })),
);
const expected: fc.Arbitrary<Expected> = fc.oneof(
  fc.record({ kind: fc.constant('password' as const), email: text, password: text }),
  fc.record({ kind: fc.constant('api-token' as const), email: text, token: text }),
  fc.record({ kind: fc.constant('oauth' as const), token: text }),
  fc.record({ kind: fc.constant('api-key' as const), header: text, value: text }),
  fc.record({ kind: fc.constant('header' as const), value: text }),
);
const bare: fc.Arbitrary<Condition> = fc.oneof(
  fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE').map((method) => ({ method })),
  text.map((path) => ({ path })),
  text.map((pathRegex) => ({ pathRegex })),
  fc.tuple(text, textMatch).map(([name, match]) => ({ query: { name, ...match } })),
  fc.tuple(text, textMatch).map(([name, match]) => ({ header: { name, ...match } })),
  fc.oneof(
    text.map((contains) => ({ body: { contains } })),
    text.map((matches) => ({ body: { matches } })),
    // JSON text cannot tell -0 from 0, nor can a sender's body.
    fc.tuple(text, fc.jsonValue()).map(([path, value]) => ({ body: { json: { path, equals: JSON.parse(JSON.stringify(value)) as unknown } } })),
  ),
  expected.map((credentials) => ({ credentials })),
  fc.constantFrom(...findingCodes).map((finding) => ({ finding })),
  fc.record({ scheme: fc.constantFrom(...SIGNATURE_SCHEMES), secret: text }, { requiredKeys: ['secret'] }).map((signature) => ({ signature })),
);
const condition = fc.tuple(bare, fc.boolean()).map(([c, not]) => (not ? { ...c, not: true as const } : c));
const rule: fc.Arbitrary<Rule> = fc
  .record(
    {
      id: fc.string({ unit: fc.constantFrom(...'abc123'.split('')), minLength: 1, maxLength: 6 }),
      name: fc.string({ minLength: 1, maxLength: 12 }),
      when: fc.array(condition, { maxLength: 4 }),
      respond: fc.record(
        {
          status: fc.integer({ min: 100, max: 599 }),
          headers: fc.dictionary(headerName, headerValue, { minKeys: 1, maxKeys: 3 }),
          body: fc.string({ minLength: 1, maxLength: 20 }),
          delayMs: fc.nat(30_000),
        },
        { requiredKeys: [] },
      ),
      times: fc.nat(100),
    },
    { requiredKeys: ['id', 'when', 'respond'] },
  )
  .map((r) => r as Rule);

describe('rule drafts', () => {
  it('rules → drafts → rules gives the same rules', () => {
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 4 }), (rules) => {
        expect(rulesFromDrafts(draftsFromRules(rules))).toEqual({ rules });
      }),
    );
  });

  it('draft → rules → draft gives the same draft, for every draft that builds', () => {
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 4 }), (rules) => {
        const drafts = draftsFromRules(rules);
        const built = rulesFromDrafts(drafts);
        if (!('rules' in built)) throw new Error(`did not build: ${JSON.stringify(built.problems)}`);
        expect(draftsFromRules(built.rules)).toEqual(drafts);
      }),
    );
  });

  it('names every field that is not a number or a header line by the path the server uses', () => {
    const draft = { ...emptyRule(), status: '4o1', delayMs: 'soon', times: '-1', headers: 'X-Ok: 1\nnot a header' };
    const body = { ...emptyCondition('body'), op: 'json' as const, jsonPath: '$.a', value: '{oops' };
    const built = rulesFromDrafts([emptyRule(), { ...draft, when: [emptyCondition(), body] }]);
    expect('problems' in built && built.problems.map((p) => p.path)).toEqual([
      'rules[1].when[1].body.json.equals',
      'rules[1].respond.status',
      'rules[1].respond.delayMs',
      'rules[1].respond.headers',
      'rules[1].times',
    ]);
  });

  it('maps a server path to the field that shows it', () => {
    expect(fieldOfPath('rules[2].when[0].header.matches')).toBe('rules[2].when[0]');
    expect(fieldOfPath('rules[2].respond.headers.X-Bad')).toBe('rules[2].respond.headers');
    expect(fieldOfPath('rules[0].times')).toBe('rules[0].times');
    expect(problemFromMessage('rules[2].when[0].header.matches: invalid regular expression')).toEqual({ path: 'rules[2].when[0].header.matches', message: 'invalid regular expression' });
    expect(problemFromMessage('Bin not found')).toBeNull();
  });

  it('moves an item to another place, clamped into the list', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 2, 9)).toEqual(['a', 'b', 'c']);
    fc.assert(
      fc.property(fc.array(fc.nat()), fc.nat(10), fc.integer({ min: -2, max: 12 }), (items, from, to) => {
        expect(moveItem(items, from, to).sort()).toEqual([...items].sort());
      }),
    );
  });
});
