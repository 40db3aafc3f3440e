import { readAuthorization, type AuthorizationReading } from '../../shared/auth/read-authorization.ts';
import { chooseRule, type RegexTest, type RuleChoice, type SecretCheck } from '../../shared/rules/conditions/evaluate.ts';
import type { RequestAnswer, RuleResponse } from '../../shared/rules/types.ts';
import type { SignatureScheme } from '../../shared/signatures/scheme-names.ts';
import { detectSignatures, verifySignatures } from '../../shared/signatures/index.ts';
import { signatureOutcome } from '../../shared/rules/signature-reason.ts';
import { signatureInput, type listenerOf } from '../request-views.ts';
import type { Store, StoredRequest } from '../store/store.ts';
import { checkCredentials } from './credential-check.ts';
import type { RegexTimeLimit } from './regex-time-limit.ts';
import { RuleSecrets, SecretKeyMissing } from './secrets.ts';
import type { StoredRule } from './stored-rules.ts';

/** How a capture is answered by its bin's rules: what the rule that answered responds (null: the bin's response) and what to record. */
export interface RuleAnswer {
  respond: RuleResponse | null;
  ruleName: string;
  answer: Omit<RequestAnswer, 'status'>;
}

type Outcome = { holds: boolean; reason: string };

/**
 * The key to check a kept secret with, or why it cannot be checked here: this instance has no key
 * (PostgreSQL without AUTHBIN_SECRET_KEY), or another one than the secret was kept under.
 */
function keyFor(store: Store, kept: { key?: string }): RuleSecrets | Outcome {
  let key: RuleSecrets;
  try {
    key = store.ruleSecrets();
  } catch (error) {
    if (error instanceof SecretKeyMissing) return { holds: false, reason: 'this authbin instance has no AUTHBIN_SECRET_KEY to check the secret with' };
    throw error;
  }
  if (kept.key !== undefined && kept.key !== key.keyId) return { holds: false, reason: "the secret was kept under another key than this instance's: give every instance the same AUTHBIN_SECRET_KEY" };
  return key;
}

/** Signature conditions need the async verifier: their outcomes are worked out before the rules are walked. */
async function signatureOutcomes(store: Store, request: StoredRequest, listener: ReturnType<typeof listenerOf>, rules: StoredRule[]): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  const input = signatureInput(request, listener);
  // The schemes the request carries, to name another one than a condition asks for.
  let present: SignatureScheme[] | undefined;
  for (const [ruleIndex, { rule, secrets }] of rules.entries()) {
    for (const [at, condition] of rule.when.entries()) {
      const kept = secrets[at];
      if (!('signature' in condition) || !kept || !('sealed' in kept)) continue;
      const key = keyFor(store, kept);
      if (!(key instanceof RuleSecrets)) {
        outcomes.set(`${ruleIndex}.${at}`, key);
        continue;
      }
      const reports = await verifySignatures(input, { secret: key.open(kept.sealed), ...(condition.signature.scheme && { scheme: condition.signature.scheme }) });
      present ??= detectSignatures(input).map((report) => report.scheme);
      outcomes.set(`${ruleIndex}.${at}`, signatureOutcome(reports, present, condition.signature.scheme));
    }
  }
  return outcomes;
}

/**
 * How a capture's rules test their patterns: on this thread when the work is small, else on the
 * worker of `regexes`. What the worker has to decide is gathered by walking the rules, sent in one
 * batch, and the rules walked again with the answers, until nothing is left to ask.
 */
class CapturePatterns {
  readonly #regexes: RegexTimeLimit;
  /** What the worker answered, by pattern and text; undefined: not decided in time. */
  readonly #decided = new Map<RegExp, Map<string, boolean | undefined>>();
  #asked: { regex: RegExp; subject: string }[] = [];

  constructor(regexes: RegexTimeLimit) {
    this.#regexes = regexes;
  }

  readonly test: RegexTest = (regex, subject) => {
    if (this.#regexes.fitsInline(regex, subject)) return regex.test(subject);
    const decided = this.#decided.get(regex);
    if (decided?.has(subject)) return decided.get(subject);
    if (!this.#asked.some((asked) => asked.regex === regex && asked.subject === subject)) this.#asked.push({ regex, subject });
    return undefined;
  };

  /** The rule `walk` chooses once every pattern it tests is decided. */
  async choose(walk: () => RuleChoice): Promise<RuleChoice> {
    for (;;) {
      this.#asked = [];
      const choice = walk();
      const asked = this.#asked;
      if (asked.length === 0) return choice;
      const results = await this.#regexes.run(asked.map(({ regex, subject }) => ({ source: regex.source, subject })));
      for (const [at, { regex, subject }] of asked.entries()) {
        const decided = this.#decided.get(regex) ?? this.#decided.set(regex, new Map()).get(regex)!;
        decided.set(subject, results[at]);
      }
    }
  }
}

/**
 * The bin's rules applied to a stored capture: the first rule whose conditions hold and whose
 * `times` is not used up answers (its count claimed in the database, so parallel captures cannot
 * both take the last one); null when the bin has no rules.
 */
export async function answerByRules(store: Store, request: StoredRequest, listener: ReturnType<typeof listenerOf>, regexes: RegexTimeLimit): Promise<RuleAnswer | null> {
  const { stored, compiled, checksSignatures } = await store.compiledRules(request.bin);
  if (stored.length === 0) return null;
  const signatures = checksSignatures ? await signatureOutcomes(store, request, listener, stored) : undefined;
  // Read at most once per capture, and only when a rule asks.
  let reading: AuthorizationReading | undefined;
  const authorization = () => (reading ??= readAuthorization(request.headers.find(([name]) => name.toLowerCase() === 'authorization')?.[1] ?? '', request.receivedAt));
  const check: SecretCheck = (condition, ruleIndex, at) => {
    const kept = stored[ruleIndex]!.secrets[at];
    if (kept && 'notExported' in kept) return { holds: false, reason: `the rule's ${'credentials' in condition ? 'expected' : 'signing'} secret was not exported with it: re-enter it` };
    if ('credentials' in condition) {
      if (!kept || !('hash' in kept)) return { holds: false, reason: 'the expected secret is missing' };
      const key = keyFor(store, kept);
      if (!(key instanceof RuleSecrets)) return key;
      return checkCredentials(condition.credentials, kept.hash, request.headers, key, authorization);
    }
    if ('finding' in condition) return { holds: authorization().findings.some((found) => found.code === condition.finding) };
    return signatures?.get(`${ruleIndex}.${at}`) ?? { holds: false, reason: 'no signature was sent' };
  };
  const used = new Set<number>();
  const patterns = new CapturePatterns(regexes);
  const ruleRequest = { method: request.method, path: request.path, query: request.query, headers: request.headers, body: request.body };
  for (;;) {
    const choice = await patterns.choose(() => chooseRule(compiled, ruleRequest, check, (index) => used.has(index), patterns.test));
    if (choice.index === null) return { respond: null, ruleName: '', answer: { rule: null, reasons: choice.reasons } };
    const { rule } = stored[choice.index]!;
    if (await store.claimRule(request.bin, rule.id)) {
      return { respond: rule.respond, ruleName: rule.name ?? '', answer: { rule: { id: rule.id, name: rule.name ?? null }, reasons: choice.reasons } };
    }
    used.add(choice.index);
  }
}
