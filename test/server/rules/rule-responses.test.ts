import { describe, expect, it } from 'vitest';
import type { BinResponse } from '../../../shared/api.ts';
import type { RuleResponse } from '../../../shared/rules/types.ts';
import type { CandidateAnswer } from '../../../server/rules/answer.ts';
import { RuleResponses } from '../../../server/rules/rule-responses.ts';
import { storedWithId } from '../../../server/store/store.ts';

const capture = (id: string) =>
  storedWithId(
    { bin: 'b', receivedAt: 0, method: 'POST', path: '/', query: '', httpVersion: '1.1', remoteAddress: null, remotePort: null, headers: [['X-Sender', 'tests']], body: new Uint8Array(), bodySize: 0, truncated: false },
    id,
  );

const candidate = (respond: RuleResponse): CandidateAnswer => ({ respond, ruleName: 'Zendesk API', answer: { rule: { id: 'r', name: 'Zendesk API' }, reasons: ['the email differs', 'the API token differs'] }, ruleId: 'r', limited: false });

describe('RuleResponses', () => {
  it('builds the answer of a rule without placeholders once per bin response, and anew when the bin response changes', () => {
    const responses = new RuleResponses();
    const ruled = candidate({ status: 401, headers: { 'WWW-Authenticate': 'Basic realm="x"' }, body: '{"error":"no"}' });
    const first = responses.of(ruled, null, capture('1'));
    expect(first).toEqual({ status: 401, headers: { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Basic realm="x"' }, body: '{"error":"no"}', delayMs: undefined, allowScripts: undefined });
    expect(responses.of(ruled, null, capture('2'))).toBe(first);
    const binResponse: BinResponse = { status: 202, headers: { 'X-Bin': 'yes' }, body: 'bin', delayMs: 5 };
    expect(responses.of(ruled, binResponse, capture('3'))).toEqual({ status: 401, headers: { 'X-Bin': 'yes', 'WWW-Authenticate': 'Basic realm="x"' }, body: '{"error":"no"}', delayMs: 5, allowScripts: undefined });
    // A changed rule is another object, read again with the rules.
    expect(responses.of(candidate({ status: 403, body: 'changed' }), null, capture('4'))).toMatchObject({ status: 403, body: 'changed' });
  });

  it('fills placeholders for every capture, and names each capture in the usual acknowledgement', () => {
    const responses = new RuleResponses();
    const filled = candidate({ status: 401, headers: { 'X-Authbin-Reason': '{{reason}}' }, body: '{{rule.name}} {{request.id}} {{request.header.x-sender}}' });
    for (const id of ['1', '2']) {
      expect(responses.of(filled, null, capture(id))).toMatchObject({ headers: { 'X-Authbin-Reason': 'the email differs; the API token differs' }, body: `Zendesk API ${id} tests` });
    }
    const acknowledged = candidate({ status: 201 });
    for (const id of ['1', '2']) expect(responses.of(acknowledged, null, capture(id)).body).toBe(JSON.stringify({ ok: true, id }));
  });
});
