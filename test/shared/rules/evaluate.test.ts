import { describe, expect, it } from 'vitest';
import { compileRules, ruleCandidates, type CompiledRules, type RegexTest, type RuleRequest, type SecretCheck } from '../../../shared/rules/conditions/evaluate.ts';
import type { Condition, Rule } from '../../../shared/rules/types.ts';

const request: RuleRequest = {
  method: 'POST',
  path: '/api/v2/tickets.json',
  query: 'page=2&tag=a&tag=b&flag',
  headers: [
    ['Content-Type', 'application/json'],
    ['X-Zendesk-Webhook-Id', '01HXYZ'],
    ['X-Multi', 'one'],
    ['x-multi', 'two'],
  ],
  body: new TextEncoder().encode('{"ticket":{"id":35436,"tags":["vip","urgent"],"via":{"channel":"web"}}}'),
};

const noSecrets: SecretCheck = () => {
  throw new Error('no secret condition in these rules');
};

/** The rule that answers when every rule with `times` has some left: the first candidate, as the store would claim it. */
function chooseRule(compiled: CompiledRules, asked: RuleRequest, check: SecretCheck, regexTest?: RegexTest): { index: number | null; reasons: string[] } {
  const { candidates, reasons } = ruleCandidates(compiled, asked, check, regexTest);
  return candidates[0] ?? { index: null, reasons };
}

function holds(condition: Condition): boolean {
  return chooseRule(compileRules([{ id: 'r', when: [condition], respond: {} }]), request, noSecrets).index === 0;
}

describe('ruleCandidates', () => {
  it.each<[string, Condition, boolean]>([
    ['method', { method: 'POST' }, true],
    ['method in another case', { method: 'post' }, true],
    ['another method', { method: 'GET' }, false],
    ['path glob', { path: '/api/v2/*' }, true],
    ['path glob in the middle', { path: '/api/*/tickets.json' }, true],
    ['path glob elsewhere', { path: '/api/v1/*' }, false],
    ['path exactly', { path: '/api/v2/tickets.json' }, true],
    ['a dot in a glob is a dot', { path: '/api/v2/tickets_json' }, false],
    ['path regex', { pathRegex: '^/api/v\\d+/' }, true],
    ['path regex not matching', { pathRegex: '^/hooks' }, false],
    ['query present', { query: { name: 'flag' } }, true],
    ['query absent', { query: { name: 'missing' } }, false],
    ['query equals, one of several values', { query: { name: 'tag', equals: 'b' } }, true],
    ['query contains', { query: { name: 'page', contains: '2' } }, true],
    ['query matches', { query: { name: 'page', matches: '^\\d$' } }, true],
    ['query equals another value', { query: { name: 'page', equals: '3' } }, false],
    ['header present, any case', { header: { name: 'x-zendesk-webhook-id' } }, true],
    ['header equals the second occurrence', { header: { name: 'X-MULTI', equals: 'two' } }, true],
    ['header contains', { header: { name: 'content-type', contains: 'json' } }, true],
    ['header matches', { header: { name: 'Content-Type', matches: '^text/' } }, false],
    ['header absent', { header: { name: 'Authorization' } }, false],
    ['body contains', { body: { contains: '"vip"' } }, true],
    ['body matches', { body: { matches: '"id":\\d+' } }, true],
    ['body JSON path number', { body: { json: { path: '$.ticket.id', equals: 35436 } } }, true],
    ['body JSON path in an array', { body: { json: { path: '$.ticket.tags[1]', equals: 'urgent' } } }, true],
    ['body JSON path object', { body: { json: { path: '$.ticket.via', equals: { channel: 'web' } } } }, true],
    ['body JSON path another value', { body: { json: { path: '$.ticket.id', equals: '35436' } } }, false],
    ['body JSON path missing', { body: { json: { path: '$.user.id', equals: 1 } } }, false],
  ])('%s', (_name, condition, expected) => {
    expect(holds(condition)).toBe(expected);
    expect(holds({ ...condition, not: true })).toBe(!expected);
  });

  it('finds a JSON value at its path however the body spells it, escapes included', () => {
    const escaped = { ...request, body: new TextEncoder().encode('{"ticket":{"status":"\\u0055RGENT","vip":true,"tags":null}}') };
    const holdsIn = (asked: RuleRequest, condition: Condition) => chooseRule(compileRules([{ id: 'r', when: [condition], respond: {} }]), asked, noSecrets).index === 0;
    expect(holdsIn(escaped, { body: { json: { path: '$.ticket.status', equals: 'URGENT' } } })).toBe(true);
    expect(holdsIn(escaped, { body: { json: { path: '$.ticket.status', equals: 'LOW' } } })).toBe(false);
    expect(holdsIn(escaped, { body: { json: { path: '$.ticket.vip', equals: true } } })).toBe(true);
    expect(holdsIn(escaped, { body: { json: { path: '$.ticket.tags', equals: null } } })).toBe(true);
    const spaced = { ...request, body: new TextEncoder().encode('{"ticket": {"vip" : true, "id": 1.0}}') };
    expect(holdsIn(spaced, { body: { json: { path: '$.ticket.vip', equals: true } } })).toBe(true);
    expect(holdsIn(spaced, { body: { json: { path: '$.ticket.vip', equals: false } } })).toBe(false);
    expect(holdsIn(spaced, { body: { json: { path: '$.ticket.id', equals: 1 } } })).toBe(true);
  });

  it('takes the first rule whose conditions all hold, in order, and none when none does', () => {
    const rules: Rule[] = [
      { id: 'a', when: [{ method: 'POST' }, { path: '/other' }], respond: { status: 400 } },
      { id: 'b', when: [{ method: 'POST' }], respond: { status: 201 } },
      { id: 'c', when: [], respond: { status: 202 } },
    ];
    expect(chooseRule(compileRules(rules), request, noSecrets)).toEqual({ index: 1, reasons: ['the path "/api/v2/tickets.json" is not /other'] });
    expect(chooseRule(compileRules(rules.slice(0, 1)), request, noSecrets)).toEqual({ index: null, reasons: ['the path "/api/v2/tickets.json" is not /other'] });
    expect(chooseRule(compileRules([]), request, noSecrets)).toEqual({ index: null, reasons: [] });
  });

  it('goes on past a rule with times to the next that holds, up to the first without, each with its own reasons', () => {
    const rules: Rule[] = [
      { id: 'a', when: [{ method: 'POST' }, { path: '/other' }], respond: { status: 400 } },
      { id: 'b', when: [{ method: 'POST' }], respond: { status: 503 }, times: 2 },
      { id: 'c', when: [{ method: 'GET' }], respond: { status: 405 } },
      { id: 'd', when: [], respond: { status: 429 }, times: 1 },
      { id: 'e', when: [], respond: { status: 200 } },
      { id: 'f', when: [], respond: { status: 204 } },
    ];
    const notOther = 'the path "/api/v2/tickets.json" is not /other';
    expect(ruleCandidates(compileRules(rules), request, noSecrets)).toEqual({
      candidates: [
        { index: 1, reasons: [notOther] },
        // b's used up: skipped, it adds no reason; c did not hold.
        { index: 3, reasons: [notOther, 'the method is POST'] },
        { index: 4, reasons: [notOther, 'the method is POST'] },
      ],
      reasons: [notOther, 'the method is POST'],
    });
    expect(ruleCandidates(compileRules(rules.slice(0, 4)), request, noSecrets)).toEqual({
      candidates: [
        { index: 1, reasons: [notOther] },
        { index: 3, reasons: [notOther, 'the method is POST'] },
      ],
      reasons: [notOther, 'the method is POST'],
    });
  });

  it('asks the secret check for credentials, findings and signatures, and keeps its reasons', () => {
    const asked: [number, number][] = [];
    const check: SecretCheck = (condition, rule, at) => {
      asked.push([rule, at]);
      return 'credentials' in condition ? { holds: false, reason: 'the API token matches once the trailing line break is removed' } : { holds: true };
    };
    const rules: Rule[] = [
      { id: 'z', name: 'Zendesk API', when: [{ finding: 'utf16', not: true }, { credentials: { kind: 'api-token', email: 'me@example.com', token: 'x' }, not: true }], respond: { status: 401 } },
    ];
    expect(chooseRule(compileRules(rules), request, check)).toEqual({ index: null, reasons: [] });
    expect(asked).toEqual([[0, 0]]);
    const credentialsOnly: Rule[] = [{ id: 'z', when: [{ credentials: { kind: 'api-token', email: 'me@example.com', token: 'x' }, not: true }], respond: { status: 401 } }];
    expect(chooseRule(compileRules(credentialsOnly), request, check)).toEqual({ index: 0, reasons: ['the API token matches once the trailing line break is removed'] });
  });

  it('decides a pattern with the regex test it is given: a pattern left undecided holds neither way, and its rule is skipped', () => {
    const rules = compileRules([
      { id: 'a', when: [{ body: { matches: '"id":\\d+' } }], respond: { status: 400 } },
      { id: 'b', when: [{ header: { name: 'X-Multi', matches: '^t' }, not: true }], respond: { status: 401 } },
      { id: 'c', when: [], respond: { status: 200 } },
    ]);
    const subjects: string[] = [];
    const choice = chooseRule(rules, request, noSecrets, (regex, subject) => {
      subjects.push(subject);
      return undefined;
    });
    expect(choice).toEqual({ index: 2, reasons: ['/"id":\\d+/ took too long on the body, so the rule was skipped', '/^t/ took too long on the header "X-Multi", so the rule was skipped'] });
    // "one" lacks the "t" every match of /^t/ holds: decided without the test.
    expect(subjects).toEqual([new TextDecoder().decode(request.body), 'two']);
    expect(chooseRule(rules, request, noSecrets, (regex, subject) => regex.test(subject)).index).toBe(0);
  });

  it('decides a pattern without running it on a text that lacks a text every match holds', () => {
    const rules = compileRules([
      { id: 'a', when: [{ body: { matches: '"type":\\s*"ticket\\.deleted"' } }], respond: { status: 410 } },
      { id: 'b', when: [{ pathRegex: '^/api/v\\d+/tickets' }], respond: { status: 200 } },
    ]);
    const subjects: string[] = [];
    const choice = chooseRule(rules, request, noSecrets, (regex, subject) => (subjects.push(subject), regex.test(subject)));
    expect(choice).toEqual({ index: 1, reasons: ['the body does not hold'] });
    expect(subjects).toEqual(['/api/v2/tickets.json']);
  });

  it('names the method and path of each request in turn, when one set of compiled rules walks several', () => {
    const rules = compileRules([
      { id: 'a', when: [{ method: 'PUT' }], respond: {} },
      { id: 'b', when: [{ path: '/admin/*' }], respond: {} },
      { id: 'c', when: [{ pathRegex: '\\.xml$' }], respond: {} },
    ]);
    const reasonsFor = (method: string, path: string) => chooseRule(rules, { ...request, method, path }, noSecrets).reasons;
    for (const [method, path] of [['POST', '/a'], ['POST', '/a'], ['GET', '/b'], ['POST', '/a']] as const) {
      expect(reasonsFor(method, path)).toEqual([`the method is ${method}`, `the path "${path}" is not /admin/*`, `the path "${path}" does not match /\\.xml$/`]);
    }
  });

  it('looks for escapes in each body, not once for the compiled rules', () => {
    const rules = compileRules([{ id: 'r', when: [{ body: { json: { path: '$.status', equals: 'URGENT' } } }], respond: {} }]);
    const withBody = (text: string) => ({ ...request, body: new TextEncoder().encode(text) });
    expect(chooseRule(rules, withBody('{"status":"LOW"}'), noSecrets).index).toBe(null);
    expect(chooseRule(rules, withBody('{"status":"\\u0055RGENT"}'), noSecrets).index).toBe(0);
    expect(chooseRule(rules, withBody('{"status":"LOW \\u0055"}'), noSecrets).index).toBe(null);
  });

  it('compiles each pattern once, however many requests it tests', () => {
    const rules = compileRules([{ id: 'a', when: [{ pathRegex: '^/api/' }, { query: { name: 'page', matches: '^\\d$' } }], respond: {} }]);
    const seen = new Set<RegExp>();
    const test = (regex: RegExp, subject: string) => (seen.add(regex), regex.test(subject));
    for (let i = 0; i < 3; i++) expect(chooseRule(rules, request, noSecrets, test).index).toBe(0);
    expect(seen.size).toBe(2);
  });
});
