import type pg from 'pg';
import { type RuleRow, toStoredRule } from '../columns.ts';
import type { RulesTable } from '../engine.ts';
import { inTransaction } from './transaction.ts';

/**
 * A bin's rules in PostgreSQL (the bin_rules table), replaced whole. Every instance keeps them in
 * memory: the table's triggers name a bin whose rules changed on the `authbin_rules` channel (see
 * the schema), and the live feed hears it. Captures count their answers in their own insert
 * transaction (insert-batch.ts).
 */
export function postgresRules(pool: pg.Pool, watch: (changed: (bin: string | null) => void) => void): RulesTable {
  return {
    async list(bin) {
      const { rows } = await pool.query<RuleRow>('SELECT rule, secrets, answered FROM bin_rules WHERE bin = $1 ORDER BY position', [bin]);
      return rows.map(toStoredRule);
    },

    async replace(bin, rules) {
      await inTransaction(pool, async (client) => {
        await client.query('DELETE FROM bin_rules WHERE bin = $1', [bin]);
        if (rules.length === 0) return;
        await client.query(
          `INSERT INTO bin_rules (bin, position, id, rule, secrets, times, answered)
           SELECT $1, position - 1, id, rule, secrets, times, answered
           FROM unnest($2::text[], $3::text[], $4::text[], $5::integer[], $6::integer[]) WITH ORDINALITY AS r(id, rule, secrets, times, answered, position)`,
          [
            bin,
            rules.map(({ rule }) => rule.id),
            rules.map(({ rule }) => JSON.stringify(rule)),
            rules.map(({ secrets }) => JSON.stringify(secrets)),
            rules.map(({ rule }) => rule.times ?? null),
            rules.map(({ answered }) => answered),
          ],
        );
      });
    },

    async reset(bin) {
      await pool.query('UPDATE bin_rules SET answered = 0 WHERE bin = $1', [bin]);
    },

    watch,
  };
}
