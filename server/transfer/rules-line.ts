/**
 * A bin's rules in its NDJSON export (#19): one line before the requests, with every secret left
 * out and said to be, so that an export can be shared or kept without giving a secret away; an
 * import restores the rules, their secret-bearing conditions waiting for the secret to be typed again.
 */
import { isMaskedSecret, secretNotExported } from '../../shared/rules/masked-secret.ts';
import { expectedFields, expectedSecret, withExpectedSecret } from '../../shared/rules/secret-fields.ts';
import type { Condition, Rule } from '../../shared/rules/types.ts';
import { readRules } from '../../shared/rules/validate.ts';
import { ImportError } from './formats.ts';

export interface RulesLine {
  authbin: 1;
  bin: string;
  rules: Rule[];
  /** Always true: each secret reads {@link secretNotExported}. */
  secretsRemoved: true;
  note: string;
}

const note = `The rules' secrets (expected tokens and passwords, signing secrets) are not exported: each reads "${secretNotExported}". An import keeps those conditions, which never hold until the secret is typed again.`;

function withoutSecret(condition: Condition): Condition {
  if ('credentials' in condition) return { ...condition, credentials: withExpectedSecret(condition.credentials, secretNotExported) };
  if ('signature' in condition) return { ...condition, signature: { ...condition.signature, secret: secretNotExported } };
  return condition;
}

/** The export's rules line: the rules without ids, counters or secrets (not even masked: a mask shows 4 characters). */
export function toRulesLine(bin: string, rules: Rule[]): RulesLine {
  return {
    authbin: 1,
    bin,
    rules: rules.map(({ id: _id, answered: _answered, when, ...rule }) => ({ id: '', ...rule, when: when.map(withoutSecret) })),
    secretsRemoved: true,
    note,
  };
}

/** True for the rules line of an export, told from a request record by its `rules` list. */
export function isRulesLine(value: unknown): value is { rules: unknown } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { rules?: unknown }).rules);
}

/** Whether a rule has a condition whose secret was left out of the export. */
export function needsSecret(rule: Rule): boolean {
  return rule.when.some((condition) => ('credentials' in condition ? expectedSecret(condition.credentials) : 'signature' in condition ? condition.signature.secret : null) === secretNotExported);
}

/**
 * The rules of an export's rules line, checked as `PUT …/rules` checks them. A masked secret (from
 * `GET …/rules`, say) is refused: it stands for a secret this install may not hold.
 */
export function fromRulesLine(value: { rules: unknown }, where: string): Rule[] {
  const read = readRules(value.rules);
  if ('problems' in read) throw new ImportError(`${where}: ${read.problems.map(({ path, message }) => `${path}: ${message}`)[0]!}`);
  for (const [index, rule] of read.rules.entries()) {
    for (const [at, condition] of rule.when.entries()) {
      const path = `${where}: rules[${index}].when[${at}]`;
      if ('credentials' in condition && isMaskedSecret(expectedSecret(condition.credentials))) {
        throw new ImportError(`${path}.credentials.${expectedFields[condition.credentials.kind].secret}: a masked secret cannot be imported: give the secret or "${secretNotExported}"`);
      }
      if ('signature' in condition && isMaskedSecret(condition.signature.secret)) {
        throw new ImportError(`${path}.signature.secret: a masked secret cannot be imported: give the secret or "${secretNotExported}"`);
      }
    }
  }
  return read.rules;
}
