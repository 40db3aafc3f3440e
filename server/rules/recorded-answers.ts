import type { RequestAnswer } from '../../shared/rules/types.ts';

/** Answers `RecordedAnswers` keeps at most; then it starts over. */
const keptAnswers = 256;

/** A step of the tree: the answers recorded after these reasons, by the next reason. */
interface Step {
  next: Map<string, Step>;
  text: string | undefined;
}

/**
 * The answers captures recorded lately, as the JSON their `answer` column holds. A sender repeats
 * one request, so its captures record one answer over and over: walked down a tree by the rule,
 * the status and each reason in turn, it is found with a lookup per step, where writing it out
 * again costs more. The rule is found by its object (`answerRuleOf` gives one per rule as kept),
 * and the reasons a rule's conditions give are one string object each time, whose hash V8 keeps
 * (a reason naming the request's method or path is, while the sender repeats it). Before the tree,
 * the answer given last is compared reason by reason: a sender repeating one request finds its
 * answer without a lookup.
 */
export class RecordedAnswers {
  #roots = new Map<RequestAnswer['rule'], Map<number, Step>>();
  #kept = 0;
  #last: { status: number; rule: RequestAnswer['rule']; reasons: readonly string[]; text: string } | undefined;

  /** `JSON.stringify({ status, rule, reasons })`, written out the same way. */
  text(status: number, rule: RequestAnswer['rule'], reasons: readonly string[]): string {
    const last = this.#last;
    if (last && last.status === status && last.rule === rule && sameReasons(last.reasons, reasons)) return last.text;
    const text = this.#found(status, rule, reasons);
    this.#last = { status, rule, reasons, text };
    return text;
  }

  #found(status: number, rule: RequestAnswer['rule'], reasons: readonly string[]): string {
    let step = this.#begin(rule, status);
    for (const reason of reasons) {
      let next = step.next.get(reason);
      if (!next) {
        next = { next: new Map(), text: undefined };
        step.next.set(reason, next);
      }
      step = next;
    }
    if (step.text === undefined) {
      // Kept within bounds: requests that each name another path leave a branch per request.
      if (this.#kept >= keptAnswers) this.#clear();
      step.text = `{"status":${status},"rule":${rule ? JSON.stringify(rule) : 'null'},"reasons":${JSON.stringify(reasons)}}`;
      this.#kept++;
    }
    return step.text;
  }

  #begin(rule: RequestAnswer['rule'], status: number): Step {
    let byStatus = this.#roots.get(rule);
    if (!byStatus) {
      byStatus = new Map();
      this.#roots.set(rule, byStatus);
    }
    let root = byStatus.get(status);
    if (!root) {
      root = { next: new Map(), text: undefined };
      byStatus.set(status, root);
    }
    return root;
  }

  #clear(): void {
    this.#roots = new Map();
    this.#kept = 0;
  }
}

function sameReasons(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let at = 0; at < a.length; at++) if (a[at] !== b[at]) return false;
  return true;
}
