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
 * one request, so its captures record one answer over and over: walked down a tree by the status,
 * the rule and each reason in turn, it is found with a lookup per reason, where writing it out
 * again costs more. The reasons a rule's conditions give are mostly one string each time, whose
 * hash V8 keeps; only a reason naming the request (its method or path) is hashed anew.
 */
export class RecordedAnswers {
  #roots = new Map<string, Step>();
  #kept = 0;

  /** `JSON.stringify({ status, rule, reasons })`, written out the same way. */
  text(status: number, rule: RequestAnswer['rule'], reasons: readonly string[]): string {
    const head = `{"status":${status},"rule":${rule ? JSON.stringify(rule) : 'null'},"reasons":`;
    let step = this.#roots.get(head) ?? this.#begin(head);
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
      step.text = `${head}${JSON.stringify(reasons)}}`;
      this.#kept++;
    }
    return step.text;
  }

  #begin(head: string): Step {
    const root: Step = { next: new Map(), text: undefined };
    this.#roots.set(head, root);
    return root;
  }

  #clear(): void {
    this.#roots = new Map();
    this.#kept = 0;
  }
}
