import type Database from 'better-sqlite3';
import type { RequestAnswer } from '../../../shared/rules/types.ts';
import type { StoredRule } from '../../rules/stored-rules.ts';
import type { RulesTable } from '../engine.ts';

interface RuleRow {
  rule: string;
  secrets: string;
  answered: number;
}

function toStoredRule(row: RuleRow): StoredRule {
  return { rule: JSON.parse(row.rule) as StoredRule['rule'], secrets: JSON.parse(row.secrets) as StoredRule['secrets'], answered: row.answered };
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
    claim: (bin: string, ruleId: string) => s.claim.run(bin, ruleId).changes === 1,
    recordAnswer: (requestId: string, answer: RequestAnswer) => {
      s.recordAnswer.run(JSON.stringify(answer), BigInt(requestId));
    },
  };
}
