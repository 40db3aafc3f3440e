import { compileRules, type CompiledRules } from '../../shared/rules/conditions/evaluate.ts';
import type { Rule } from '../../shared/rules/types.ts';
import { maskSecret } from '../../shared/rules/masked-secret.ts';
import { expectedSecret, withExpectedSecret } from '../../shared/rules/secret-fields.ts';
import type { RuleSecrets } from './secrets.ts';

/** A condition's secret as the database keeps it: an expected secret's keyed hash, or a signing secret encrypted. */
export type KeptSecret = { hash: string; mask: string } | { sealed: string; mask: string };

/**
 * A rule as the database keeps it: the rule with its secrets masked, beside them (one entry per
 * condition, null for a condition without a secret) what matching needs, and its counter.
 */
export interface StoredRule {
  rule: Rule;
  secrets: (KeptSecret | null)[];
  answered: number;
}

/** Random rule ids: 64 bits, as 11 base64url characters. */
function ruleId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString('base64url');
}

/**
 * The rules a `PUT` sent, ready to store: new ids for new rules, secrets hashed or sealed, and a
 * secret sent back exactly as the API masked it kept from the rule of that id (same condition).
 * Counters carry over for the ids kept. `secrets` is asked for only when a rule holds a secret.
 */
export function keepRules(sent: Rule[], before: StoredRule[], secrets: () => RuleSecrets): StoredRule[] {
  const previous = new Map(before.map((stored) => [stored.rule.id, stored]));
  return sent.map((rule) => {
    const old = rule.id === '' ? undefined : previous.get(rule.id);
    const id = old ? rule.id : ruleId();
    const kept: (KeptSecret | null)[] = [];
    const when = rule.when.map((condition, index) => {
      const oldSecret = old?.secrets[index];
      if ('credentials' in condition) {
        const secret = expectedSecret(condition.credentials);
        const keep = oldSecret && 'hash' in oldSecret && oldSecret.mask === secret ? oldSecret : { hash: secrets().hash(secret), mask: maskSecret(secret) };
        kept.push(keep);
        return { ...condition, credentials: withExpectedSecret(condition.credentials, keep.mask) };
      }
      if ('signature' in condition) {
        const secret = condition.signature.secret;
        const keep = oldSecret && 'sealed' in oldSecret && oldSecret.mask === secret ? oldSecret : { sealed: secrets().seal(secret), mask: maskSecret(secret) };
        kept.push(keep);
        return { ...condition, signature: { ...condition.signature, secret: keep.mask } };
      }
      kept.push(null);
      return condition;
    });
    const { answered: _ignored, ...fields } = rule;
    return { rule: { ...fields, id, when }, secrets: kept, answered: old?.answered ?? 0 };
  });
}

/**
 * The rules as the API shows them: secrets masked, with each one's counter.
 *
 * @example
 * shownRules([{ rule: { id: 'a', when: [], respond: {} }, secrets: [], answered: 2 }]); // [{ id: 'a', when: [], respond: {}, answered: 2 }]
 */
export function shownRules(stored: StoredRule[]): Rule[] {
  return stored.map(({ rule, answered }) => ({ ...rule, answered }));
}

/** A bin's rules as capture applies them: as stored, and compiled once for as long as they do not change. */
export interface CaptureRules {
  stored: StoredRule[];
  compiled: CompiledRules;
  /** Whether a rule checks a signature, which is verified before the rules are walked. */
  checksSignatures: boolean;
}

/** Compiles a bin's stored rules for capture. */
export function captureRulesOf(stored: StoredRule[]): CaptureRules {
  const rules = stored.map(({ rule }) => rule);
  return { stored, compiled: compileRules(rules), checksSignatures: rules.some((rule) => rule.when.some((condition) => 'signature' in condition)) };
}
