import type { AuthorizationReading } from '../../shared/auth/read-authorization.ts';
import { ruleCandidates, type RegexTest, type SecretCheck } from '../../shared/rules/conditions/evaluate.ts';
import type { BinResponse } from '../../shared/api.ts';
import { isBinStatus } from '../../shared/http/bin-response-rules.ts';
import type { RequestAnswer, Rule, RuleResponse } from '../../shared/rules/types.ts';
import type { SignatureScheme } from '../../shared/signatures/scheme-names.ts';
import { detectSignatures, verifySignatures } from '../../shared/signatures/index.ts';
import { signatureOutcome } from '../../shared/rules/signature-reason.ts';
import { signatureInput, type listenerOf } from '../request-views.ts';
import type { CapturedRequest, Store } from '../store/store.ts';
import type { AuthorizationReadings } from './authorization-readings.ts';
import { checkCredentials } from './credential-check.ts';
import type { CredentialOutcomes } from './credential-outcomes.ts';
import type { RegexTimeLimit } from './regex-time-limit.ts';
import type { RecordedAnswers } from './recorded-answers.ts';
import { RuleSecrets, SecretKeyMissing } from './secrets.ts';
import type { StoredRule } from './stored-rules.ts';

/** How a capture is answered by one of its bin's rules (or, `respond` null, by the bin's response), and what is recorded then. */
export interface RuleAnswer {
  respond: RuleResponse | null;
  ruleName: string;
  answer: Omit<RequestAnswer, 'status'>;
}

/**
 * How a capture's rules may answer it, decided from the request as received: the rules that may,
 * in order, which its insert claims (see `RuleClaim`), and the answer when none does.
 */
export interface RuledCapture {
  candidates: CandidateAnswer[];
  fallback: RuleAnswer;
}

/** A rule that may answer a capture: whether it has `times`, so that its claim may fail. */
export interface CandidateAnswer extends RuleAnswer {
  respond: RuleResponse;
  ruleId: string;
  limited: boolean;
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
async function signatureOutcomes(store: Store, request: CapturedRequest, listener: ReturnType<typeof listenerOf>, rules: StoredRule[]): Promise<Map<string, Outcome>> {
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
  /** What the worker answered, by pattern and text; undefined: not decided in time. Made when the worker is first asked, which most captures never do. */
  #decided: Map<RegExp, Map<string, boolean | undefined>> | undefined;
  #asked: { regex: RegExp; subject: string }[] = [];

  constructor(regexes: RegexTimeLimit) {
    this.#regexes = regexes;
  }

  readonly test: RegexTest = (regex, subject) => {
    if (this.#regexes.fitsInline(regex, subject)) return regex.test(subject);
    const decided = this.#decided?.get(regex);
    if (decided?.has(subject)) return decided.get(subject);
    if (!this.#asked.some((asked) => asked.regex === regex && asked.subject === subject)) this.#asked.push({ regex, subject });
    return undefined;
  };

  /** What `walk` finds once every pattern it tests is decided. */
  async choose<T>(walk: () => T): Promise<T> {
    for (;;) {
      this.#asked = [];
      const choice = walk();
      const asked = this.#asked;
      if (asked.length === 0) return choice;
      const results = await this.#regexes.run(asked.map(({ regex, subject }) => ({ source: regex.source, subject })));
      this.#decided ??= new Map();
      for (const [at, { regex, subject }] of asked.entries()) {
        const decided = this.#decided.get(regex) ?? this.#decided.set(regex, new Map()).get(regex)!;
        decided.set(subject, results[at]);
      }
    }
  }
}

/** What an answer records of the rule that gave it, one object per rule as kept (RecordedAnswers finds answers by it). */
const answerRules = new WeakMap<Rule, NonNullable<RequestAnswer['rule']>>();

function answerRuleOf(rule: Rule): NonNullable<RequestAnswer['rule']> {
  let recorded = answerRules.get(rule);
  if (!recorded) {
    recorded = { id: rule.id, name: rule.name ?? null };
    answerRules.set(rule, recorded);
  }
  return recorded;
}

/**
 * The bin's rules applied to a capture before it is stored: the rules whose conditions hold, up to
 * the first without `times`, and what the capture records when none of them answers; null when the
 * bin has no rules.
 */
export async function answersByRules(
  store: Store,
  request: CapturedRequest,
  listener: ReturnType<typeof listenerOf>,
  regexes: RegexTimeLimit,
  readings: AuthorizationReadings,
  credentialOutcomes: CredentialOutcomes,
): Promise<RuledCapture | null> {
  const { stored, compiled, checksSignatures } = await store.compiledRules(request.bin);
  if (stored.length === 0) return null;
  const signatures = checksSignatures ? await signatureOutcomes(store, request, listener, stored) : undefined;
  // Read at most once per capture, and only when a rule asks.
  let reading: AuthorizationReading | undefined;
  // Names of another length are passed over without lower-casing them, as that would copy each one.
  const sentAuthorization = request.headers.find(([name]) => name.length === 13 && name.toLowerCase() === 'authorization')?.[1];
  const authorization = () => (reading ??= readings.read(sentAuthorization ?? '', request.receivedAt));
  const check: SecretCheck = (condition, ruleIndex, at) => {
    const kept = stored[ruleIndex]!.secrets[at];
    if (kept && 'notExported' in kept) return { holds: false, reason: `the rule's ${'credentials' in condition ? 'expected' : 'signing'} secret was not exported with it: re-enter it` };
    if ('credentials' in condition) {
      if (!kept || !('hash' in kept)) return { holds: false, reason: 'the expected secret is missing' };
      const key = keyFor(store, kept);
      if (!(key instanceof RuleSecrets)) return key;
      const decide = () => checkCredentials(condition.credentials, kept.hash, request.headers, key, authorization);
      // An API key's condition reads another header than Authorization; without one, there is nothing to keep an outcome by.
      if (condition.credentials.kind === 'api-key' || sentAuthorization === undefined) return decide();
      return credentialOutcomes.outcome(kept, sentAuthorization, authorization, decide);
    }
    if ('finding' in condition) return { holds: authorization().findings.some((found) => found.code === condition.finding) };
    return signatures?.get(`${ruleIndex}.${at}`) ?? { holds: false, reason: 'no signature was sent' };
  };
  const patterns = new CapturePatterns(regexes);
  const found = await patterns.choose(() => ruleCandidates(compiled, request, check, patterns.test));
  return {
    candidates: found.candidates.map(({ index, reasons }) => {
      const { rule } = stored[index]!;
      return { respond: rule.respond, ruleName: rule.name ?? '', answer: { rule: answerRuleOf(rule), reasons }, ruleId: rule.id, limited: rule.times !== undefined };
    }),
    fallback: { respond: null, ruleName: '', answer: { rule: null, reasons: found.reasons } },
  };
}

/** What a capture records when `ruled` answers it: the status sent (the rule's, else the bin response's, else 200) with the rule and reasons. */
function recordedAnswer(ruled: RuleAnswer, binResponse: BinResponse | null, recorded: RecordedAnswers): string {
  const status = ruled.respond?.status ?? binResponse?.status;
  return recorded.text(isBinStatus(status) ? status : 200, ruled.answer.rule, ruled.answer.reasons);
}

/** Readies a capture's insert to claim the rules that may answer it, recording the bin's response when none does. */
export function claimRulesOf(request: CapturedRequest, ruled: RuledCapture, binResponse: BinResponse | null, recorded: RecordedAnswers): void {
  const { candidates } = ruled;
  // A last candidate without `times` always answers: then the bin's response never does.
  if (candidates.length === 0 || candidates.at(-1)!.limited) request.storedAnswer = recordedAnswer(ruled.fallback, binResponse, recorded);
  if (candidates.length > 0) request.ruleClaims = candidates.map((candidate) => ({ ruleId: candidate.ruleId, limited: candidate.limited, answer: recordedAnswer(candidate, binResponse, recorded) }));
}
