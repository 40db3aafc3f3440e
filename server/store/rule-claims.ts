import type { CapturedRequest } from './store.ts';

/** A bin's rule, by the bin and the rule's id. */
export interface RuleRef {
  bin: string;
  ruleId: string;
}

/** What a batch's claims decided, in the batch's order, and what to add to the rules' counters. */
export interface BatchClaims {
  /** Per capture: what its `answer` column holds (`storedAnswer` when no rule answered). */
  answers: (string | null)[];
  /** Per capture: which of its `ruleClaims` answered, or null. */
  answeredBy: (number | null)[];
  /** Every rule that answered, with how many captures it answered. */
  counted: (RuleRef & { count: number })[];
}

const keyOf = (bin: string, ruleId: string) => `${bin} ${ruleId}`;

/**
 * The rules with `times` that a batch's captures may claim, each once, in bin and id order (the
 * order an engine locks them in). Their answers left are read in the batch's transaction.
 */
export function limitedRules(requests: CapturedRequest[]): RuleRef[] {
  const found = new Map<string, RuleRef>();
  for (const { bin, ruleClaims } of requests) {
    for (const { ruleId, limited } of ruleClaims ?? []) if (limited) found.set(keyOf(bin, ruleId), { bin, ruleId });
  }
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, rule]) => rule);
}

/**
 * Which rule answers each capture of a batch, capture after capture: the first of its claims whose
 * rule has no `times`, or has answers left. `left` holds the answers left of `limitedRules(requests)`
 * as the batch's transaction read them (a rule missing from it was deleted: none left); the engine
 * keeps every other writer of those counters out until it commits and adds `counted` to them, so
 * parallel captures, on one instance or several, never answer more than `times`.
 *
 * @example
 * // Two captures on bin "b" whose first candidate "r" has `times` with one answer left, and second "s" has none.
 * claimRules(captures, [{ bin: 'b', ruleId: 'r', left: 1 }]);
 * // { answers: [r's answer, s's answer], answeredBy: [0, 1], counted: [{ bin: 'b', ruleId: 'r', count: 1 }, { bin: 'b', ruleId: 's', count: 1 }] }
 */
export function claimRules(requests: CapturedRequest[], left: (RuleRef & { left: number })[]): BatchClaims {
  const remaining = new Map(left.map((rule) => [keyOf(rule.bin, rule.ruleId), rule.left]));
  const counted = new Map<string, RuleRef & { count: number }>();
  const answers: (string | null)[] = [];
  const answeredBy: (number | null)[] = [];
  for (const { bin, storedAnswer, ruleClaims } of requests) {
    let chosen: number | null = null;
    for (let at = 0; ruleClaims && at < ruleClaims.length && chosen === null; at++) {
      const { ruleId, limited } = ruleClaims[at]!;
      const key = keyOf(bin, ruleId);
      if (limited) {
        const answersLeft = remaining.get(key) ?? 0;
        if (answersLeft <= 0) continue;
        remaining.set(key, answersLeft - 1);
      }
      chosen = at;
      const rule = counted.get(key);
      if (rule) rule.count++;
      else counted.set(key, { bin, ruleId, count: 1 });
    }
    answers.push(chosen === null ? (storedAnswer ?? null) : ruleClaims![chosen]!.answer);
    answeredBy.push(chosen);
  }
  return { answers, answeredBy, counted: [...counted.values()] };
}
