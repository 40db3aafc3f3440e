import { compileRules, type CompiledRules } from '../../shared/rules/conditions/evaluate.ts';
import type { Condition, Rule } from '../../shared/rules/types.ts';
import { isMaskedSecret, maskSecret, secretNotExported } from '../../shared/rules/masked-secret.ts';
import { expectedFields, expectedSecret, withExpectedSecret } from '../../shared/rules/secret-fields.ts';
import type { RuleSecrets } from './secrets.ts';

/**
 * A condition's secret as the database keeps it: an expected secret's keyed hash, or a signing secret
 * encrypted, with `key` naming the key it was kept under (`RuleSecrets.keyId`; absent on secrets kept
 * before it was recorded); or none, for a rule imported from an export (which never carries secrets)
 * until the user types it again: such a condition never holds.
 */
export type KeptSecret = (({ hash: string } | { sealed: string }) & { mask: string; key?: string }) | { notExported: true; mask: typeof secretNotExported };

/**
 * A rule as the database keeps it: the rule with its secrets masked, beside them (one entry per
 * condition, null for a condition without a secret) what matching needs, and its counter.
 */
export interface StoredRule {
  rule: Rule;
  secrets: (KeptSecret | null)[];
  answered: number;
}

/** A masked secret sent back that matches none kept: the rules are refused, naming the field. */
export class RuleSecretProblem extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** Random rule ids: 64 bits, as 11 base64url characters. */
function ruleId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString('base64url');
}

/**
 * What tells a condition's secret apart within its rule, whatever its position: the kind of
 * condition and of credentials, and the mask (the email or scheme may change around a kept secret).
 */
function secretIdentity(condition: Condition, mask: string): string | null {
  if ('credentials' in condition) return `credentials ${condition.credentials.kind} ${mask}`;
  if ('signature' in condition) return `signature ${mask}`;
  return null;
}

function secretPath(condition: Condition, path: string): string {
  return 'credentials' in condition ? `${path}.credentials.${expectedFields[condition.credentials.kind].secret}` : `${path}.signature.secret`;
}

/** The secret a condition sends, or null for a condition without one. */
export function sentSecret(condition: Condition): string | null {
  if ('credentials' in condition) return expectedSecret(condition.credentials);
  if ('signature' in condition) return condition.signature.secret;
  return null;
}

/**
 * The kept secret a condition sent back masked refers to: one of the same rule (by id) with the same
 * identity, the one at the same position first, so that rules and conditions may be reordered.
 */
function keptFor(condition: Condition, at: number, masked: string, old: StoredRule | undefined, taken: Set<KeptSecret>): KeptSecret | undefined {
  if (!old) return undefined;
  const identity = secretIdentity(condition, masked);
  const matches = (index: number) => {
    const kept = old.secrets[index];
    return kept && !taken.has(kept) && secretIdentity(old.rule.when[index]!, kept.mask) === identity ? kept : undefined;
  };
  const samePlace = matches(at);
  if (samePlace) return samePlace;
  for (const index of old.secrets.keys()) {
    const found = matches(index);
    if (found) return found;
  }
  return undefined;
}

/**
 * The rules a `PUT` sent, ready to store: new ids for new rules, secrets hashed or sealed, and a
 * secret sent back exactly as the API masked it kept from the rule of that id (matched by identity,
 * not position). A masked secret that matches none kept is refused: stored, it would be taken for the
 * secret itself. With `fromExport`, a secret marked {@link secretNotExported} is kept as not exported.
 * Counters carry over for the ids kept. `secrets` is asked for only when a secret is new.
 */
export function keepRules(sent: Rule[], before: StoredRule[], secrets: () => RuleSecrets, { fromExport = false } = {}): StoredRule[] {
  const previous = new Map(before.map((stored) => [stored.rule.id, stored]));
  return sent.map((rule, ruleIndex) => {
    const old = rule.id === '' ? undefined : previous.get(rule.id);
    const id = old ? rule.id : ruleId();
    const taken = new Set<KeptSecret>();
    const kept: (KeptSecret | null)[] = [];
    const when = rule.when.map((condition, at) => {
      const secret = sentSecret(condition);
      if (secret === null) {
        kept.push(null);
        return condition;
      }
      let keep: KeptSecret;
      if (isMaskedSecret(secret) || secret === secretNotExported) {
        const found = keptFor(condition, at, secret, old, taken);
        if (found) keep = found;
        else if (secret === secretNotExported && fromExport) keep = { notExported: true, mask: secretNotExported };
        else {
          const path = secretPath(condition, `rules[${ruleIndex}].when[${at}]`);
          throw new RuleSecretProblem(path, secret === secretNotExported ? 'the secret was not exported: type it again' : 'the masked secret matches none kept for this rule: type the secret again');
        }
        taken.add(keep);
      } else keep = 'credentials' in condition ? { hash: secrets().hash(secret), mask: maskSecret(secret), key: secrets().keyId } : { sealed: secrets().seal(secret), mask: maskSecret(secret), key: secrets().keyId };
      kept.push(keep);
      if ('credentials' in condition) return { ...condition, credentials: withExpectedSecret(condition.credentials, keep.mask) };
      return 'signature' in condition ? { ...condition, signature: { ...condition.signature, secret: keep.mask } } : condition;
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
