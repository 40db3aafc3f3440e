import { describe, expect, it } from 'vitest';
import { claimRules, limitedRules } from '../../../server/store/rule-claims.ts';
import type { CapturedRequest, RuleClaim } from '../../../server/store/store.ts';

const claim = (ruleId: string, limited: boolean): RuleClaim => ({ ruleId, limited, answer: `answered by ${ruleId}` });

function capture(bin: string, ruleClaims?: RuleClaim[], storedAnswer?: string): CapturedRequest {
  return {
    bin,
    receivedAt: 0,
    method: 'POST',
    path: '/',
    query: '',
    httpVersion: '1.1',
    remoteAddress: null,
    remotePort: null,
    headers: [],
    body: new Uint8Array(),
    bodySize: 0,
    truncated: false,
    ...(storedAnswer !== undefined && { storedAnswer }),
    ...(ruleClaims && { ruleClaims }),
  };
}

describe('claimRules', () => {
  it('gives each capture, in order, the first rule without times or with answers left, and counts each answer', () => {
    const chain = [claim('a', true), claim('b', true), claim('c', false)];
    const requests = [capture('x', chain, 'bin'), capture('x', chain, 'bin'), capture('x', chain, 'bin'), capture('x', chain, 'bin'), capture('y'), capture('x', chain.slice(0, 2), 'bin')];
    expect(limitedRules(requests)).toEqual([
      { bin: 'x', ruleId: 'a' },
      { bin: 'x', ruleId: 'b' },
    ]);
    const claims = claimRules(requests, [
      { bin: 'x', ruleId: 'a', left: 1 },
      { bin: 'x', ruleId: 'b', left: 2 },
    ]);
    expect(claims.answeredBy).toEqual([0, 1, 1, 2, null, null]);
    expect(claims.answers).toEqual(['answered by a', 'answered by b', 'answered by b', 'answered by c', null, 'bin']);
    expect(claims.counted).toEqual([
      { bin: 'x', ruleId: 'a', count: 1 },
      { bin: 'x', ruleId: 'b', count: 2 },
      { bin: 'x', ruleId: 'c', count: 1 },
    ]);
  });

  it('takes a rule with times that its transaction did not find (deleted meanwhile) as used up, and keeps the same rule apart in two bins', () => {
    const requests = [capture('x', [claim('r', true)], 'bin x'), capture('y', [claim('r', true)], 'bin y')];
    expect(limitedRules(requests)).toEqual([
      { bin: 'x', ruleId: 'r' },
      { bin: 'y', ruleId: 'r' },
    ]);
    const claims = claimRules(requests, [{ bin: 'y', ruleId: 'r', left: 5 }]);
    expect(claims.answers).toEqual(['bin x', 'answered by r']);
    expect(claims.counted).toEqual([{ bin: 'y', ruleId: 'r', count: 1 }]);
  });
});
