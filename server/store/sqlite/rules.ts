import type Database from 'better-sqlite3';
import type { StoredRule } from '../../rules/stored-rules.ts';
import { type RuleRow, toStoredRule } from '../columns.ts';
import type { RulesTable } from '../engine.ts';

/**
 * A bin's rules in the SQLite file (the bin_rules table), replaced whole. Captures count their
 * answers in their own insert transaction (insert-batch.ts).
 */
export function sqliteRules(db: Database.Database): RulesTable {
  const s = {
    list: db.prepare('SELECT rule, secrets, answered FROM bin_rules WHERE bin = ? ORDER BY position'),
    clear: db.prepare('DELETE FROM bin_rules WHERE bin = ?'),
    add: db.prepare('INSERT INTO bin_rules (bin, position, id, rule, secrets, times, answered) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    reset: db.prepare('UPDATE bin_rules SET answered = 0 WHERE bin = ?'),
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
  };
}
