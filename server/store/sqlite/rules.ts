import type Database from 'better-sqlite3';
import type { RequestAnswer } from '../../../shared/rules/types.ts';
import type { StoredRule } from '../../rules/stored-rules.ts';
import { type RuleRow, toStoredRule } from '../columns.ts';
import type { RulesTable } from '../engine.ts';

/**
 * Writes that captures make one by one, done together: each autocommit UPDATE is a commit of its
 * own, and a capture answered by a rule makes two (the claim and the answer), which cost more than
 * the capture's insert (bench section 8). Those that arrive while the event loop is busy are run
 * in order in one transaction at its next turn, and each answered once that commits.
 */
class GroupedWrites {
  readonly #db: Database.Database;
  #waiting: { write: () => unknown; done: (outcome: { value: unknown } | { error: unknown }) => void }[] = [];

  constructor(db: Database.Database) {
    this.#db = db;
  }

  run<T>(write: () => T): Promise<T> {
    return new Promise((resolve, reject) => {
      if (this.#waiting.length === 0) setImmediate(() => this.#flush());
      this.#waiting.push({ write, done: (outcome) => ('error' in outcome ? reject(outcome.error) : resolve(outcome.value as T)) });
    });
  }

  #flush(): void {
    const batch = this.#waiting;
    this.#waiting = [];
    let outcomes: ({ value: unknown } | { error: unknown })[];
    try {
      // A statement that fails is undone alone; the others still commit.
      outcomes = this.#db.transaction(() =>
        batch.map(({ write }) => {
          try {
            return { value: write() };
          } catch (error) {
            return { error };
          }
        }),
      )();
    } catch (error) {
      outcomes = batch.map(() => ({ error }));
    }
    batch.forEach(({ done }, at) => done(outcomes[at]!));
  }
}

/** A bin's rules in the SQLite file (the bin_rules table), replaced whole. */
export function sqliteRules(db: Database.Database): RulesTable {
  const s = {
    list: db.prepare('SELECT rule, secrets, answered FROM bin_rules WHERE bin = ? ORDER BY position'),
    clear: db.prepare('DELETE FROM bin_rules WHERE bin = ?'),
    add: db.prepare('INSERT INTO bin_rules (bin, position, id, rule, secrets, times, answered) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    reset: db.prepare('UPDATE bin_rules SET answered = 0 WHERE bin = ?'),
    claim: db.prepare('UPDATE bin_rules SET answered = answered + 1 WHERE bin = ? AND id = ? AND (times IS NULL OR answered < times)'),
    recordAnswer: db.prepare('UPDATE requests SET answer = ? WHERE id = ?'),
  };
  const list = (bin: string) => (s.list.all(bin) as RuleRow[]).map(toStoredRule);
  const grouped = new GroupedWrites(db);
  return {
    list,
    replace: db.transaction((bin: string, rules: StoredRule[]) => {
      s.clear.run(bin);
      rules.forEach(({ rule, secrets, answered }, position) => {
        s.add.run(bin, position, rule.id, JSON.stringify(rule), JSON.stringify(secrets), rule.times ?? null, answered);
      });
    }),
    reset: (bin: string) => {
      s.reset.run(bin);
    },
    // One statement: the check and the count cannot be split by another capture.
    claim: (bin: string, ruleId: string) => grouped.run(() => s.claim.run(bin, ruleId).changes === 1),
    recordAnswer: async (requestId: string, answer: RequestAnswer) => {
      const text = JSON.stringify(answer);
      await grouped.run(() => s.recordAnswer.run(text, BigInt(requestId)));
    },
  };
}
