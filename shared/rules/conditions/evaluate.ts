import type { HeaderPair } from '../../auth/types.ts';
import { maxRegexSubjectLength } from '../regex-guard.ts';
import { requiredLiterals } from '../required-literals.ts';
import type { BodyMatch, Condition, Rule, TextMatch } from '../types.ts';
import { globMatches } from './glob.ts';
import { textSearch } from './text-search.ts';

/** What conditions look at: the request as captured (the path after the bin, the raw query). */
export interface RuleRequest {
  method: string;
  path: string;
  query: string;
  headers: HeaderPair[];
  body: Uint8Array;
}

/** The conditions that hold secrets or need the Authorization analysis: the server answers them with what it keeps. */
export type SecretCondition = Extract<Condition, { credentials: unknown } | { finding: unknown } | { signature: unknown }>;

/**
 * The conditions that hold secrets or need the Authorization analysis (credentials, finding,
 * signature): the server answers them with the keyed hashes it keeps, and says why one does not hold.
 */
export type SecretCheck = (condition: SecretCondition, ruleIndex: number, conditionIndex: number) => { holds: boolean; reason?: string };

/**
 * Tests a rule's regular expression on a text: matched or not, or undefined when it could not be
 * decided in time (the server bounds how long a pattern may run).
 */
export type RegexTest = (regex: RegExp, subject: string) => boolean | undefined;

/** A rule whose conditions all hold (its index), and the reasons recorded when it answers. */
export interface RuleCandidate {
  index: number;
  reasons: string[];
}

/**
 * The rules that may answer a request, in order, and the reasons recorded when none does. A rule
 * with `times` may have answered them all, which only the store knows: the walk goes on past it to
 * the next rule that holds, and stops at the first without `times`, which always answers.
 */
export interface RuleCandidates {
  candidates: RuleCandidate[];
  /** Recorded when no candidate answers (there is none, or each has answered its `times`): the bin's response does. */
  reasons: string[];
}

/**
 * A condition without secrets, made ready: `holds` says whether it holds before `not` (undefined:
 * not decided in time), and `reason` the sentence recorded when that decides against its rule.
 * Apart, so that a capture builds a sentence only for the conditions that are recorded.
 */
interface PlainTest {
  holds(request: RequestView, regexTest: RegexTest): boolean | undefined;
  reason(request: RequestView, holds: boolean | undefined): string;
}

/**
 * A condition made ready: the test of one without secrets, or the secret condition itself for the
 * server's check. One shape for every kind, so that the walk reads each the same way (V8 then
 * reads them as fast as one kind, where the conditions themselves each have a shape of their own).
 */
interface CompiledCondition {
  plain: PlainTest | null;
  secret: SecretCondition | null;
  not: boolean;
  /** Whether the secret check's reason is recorded when the condition holds too: what credentials and signatures say of a near miss. */
  recordsHeldReason: boolean;
}

/** A bin's rules made ready once, when they change: patterns compiled, names lower-cased, what each condition tests decided. */
export interface CompiledRules {
  rules: readonly Rule[];
  /** Per rule, per condition. */
  tests: readonly (readonly CompiledCondition[])[];
}

const utf8 = new TextDecoder();

/** What the conditions read of one request, each worked out once and only when a condition asks. */
class RequestView {
  readonly request: RuleRequest;
  #bodyText: string | undefined;
  #bodyHasBackslash: boolean | undefined;
  #bodyJson: { value: unknown } | undefined;
  #query: URLSearchParams | undefined;

  constructor(request: RuleRequest) {
    this.request = request;
  }

  get bodyText(): string {
    this.#bodyText ??= utf8.decode(this.request.body);
    return this.#bodyText;
  }

  /** Whether the body's text holds an escape: searched once per capture, however many JSON conditions ask. */
  get bodyHasBackslash(): boolean {
    this.#bodyHasBackslash ??= this.bodyText.includes('\\');
    return this.#bodyHasBackslash;
  }

  /** The body read as JSON; undefined when it is not JSON. */
  get bodyJson(): unknown {
    if (!this.#bodyJson) {
      try {
        this.#bodyJson = { value: JSON.parse(this.bodyText) as unknown };
      } catch {
        this.#bodyJson = { value: undefined };
      }
    }
    return this.#bodyJson.value;
  }

  queryValues(name: string): string[] {
    this.#query ??= new URLSearchParams(this.request.query);
    return this.#query.getAll(name);
  }

  /**
   * The values of a header, by its lower-case name, in the order sent. A scan of the few headers
   * sent, lower-casing only a name of the same length: cheaper than a map of them all built per capture.
   */
  headerValues(lowerName: string): string[] {
    const values: string[] = [];
    for (const [name, value] of this.request.headers) {
      if (name.length === lowerName.length && (name === lowerName || name.toLowerCase() === lowerName)) values.push(value);
    }
    return values;
  }
}

/**
 * A reason naming what the request sent (its method, its path): the same string object for the same
 * value as the capture before, as a sender repeats its requests, so that recording it neither
 * builds nor hashes it again.
 */
function namingReason(say: (sent: string) => string): (sent: string) => string {
  let lastSent: string | undefined;
  let lastReason = '';
  return (sent) => {
    if (sent !== lastSent) {
      lastSent = sent;
      lastReason = say(sent);
    }
    return lastReason;
  };
}

/** A rule's pattern, compiled, with searches for the texts that every match of it holds. */
interface Pattern {
  regex: RegExp;
  literals: ((text: string) => boolean)[];
}

function patternOf(source: string): Pattern {
  return { regex: new RegExp(source), literals: requiredLiterals(source).map(textSearch) };
}

/**
 * A pattern's outcome on a text: not matched, without running it, when the text lacks one of the
 * texts every match holds (most texts a rule's pattern is tested on, and decided at the cost of a
 * search for a word), else what `regexTest` says.
 */
function testPattern({ regex, literals }: Pattern, subject: string, regexTest: RegexTest): boolean | undefined {
  for (const holdsLiteral of literals) if (!holdsLiteral(subject)) return false;
  return regexTest(regex, subject);
}

/** A pattern's outcome on several values: matched by one, else undecided if one could not be decided, else not matched. */
function anyMatches(pattern: Pattern, values: string[], regexTest: RegexTest): boolean | undefined {
  let undecided = false;
  for (const value of values) {
    const matched = testPattern(pattern, value.slice(0, maxRegexSubjectLength), regexTest);
    if (matched) return true;
    if (matched === undefined) undecided = true;
  }
  return undecided ? undefined : false;
}

/** How a query parameter's or header's values are tested, and as what it is named in a reason. */
function textTest(match: TextMatch, what: string): { holds: (values: string[], regexTest: RegexTest) => boolean | undefined; reason: PlainTest['reason'] } {
  const { equals, contains, matches } = match;
  const reason = `${what} does not hold`;
  const constant = () => reason;
  if (equals !== undefined) return { holds: (values) => values.includes(equals), reason: constant };
  if (contains !== undefined) return { holds: (values) => values.some((value) => value.includes(contains)), reason: constant };
  if (matches !== undefined) {
    const pattern = patternOf(matches);
    return { holds: (values, regexTest) => anyMatches(pattern, values, regexTest), reason: (_, holds) => (holds === undefined ? undecided(pattern.regex, what) : reason) };
  }
  return { holds: (values) => values.length > 0, reason: constant };
}

/** The value at a path such as `$.ticket.id` or `$.items[0]`, or undefined. */
function atJsonPath(document: unknown, steps: string[]): unknown {
  let value = document;
  for (const step of steps) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

function bodyTest(match: BodyMatch): PlainTest {
  const { contains, matches, json } = match;
  const constant = () => 'the body does not hold';
  if (contains !== undefined) {
    const holdsContained = textSearch(contains);
    return { holds: (request) => holdsContained(request.bodyText), reason: constant };
  }
  if (matches !== undefined) {
    const pattern = patternOf(matches);
    return {
      holds: (request, regexTest) => testPattern(pattern, request.bodyText.slice(0, maxRegexSubjectLength), regexTest),
      reason: (_, holds) => (holds === undefined ? undecided(pattern.regex, 'the body') : constant()),
    };
  }
  const steps = (json!.path.slice(1).match(/\.[^.[\]]+|\[\d+\]/g) ?? []).map((step) => (step.startsWith('[') ? step.slice(1, -1) : step.slice(1)));
  const expected = JSON.stringify(json!.equals);
  // A string, true, false or null has one spelling in JSON but for escapes: in a body without a
  // backslash, one that is not in the text cannot be at the path, and the body need not be parsed.
  const oneSpelling = typeof json!.equals === 'string' || typeof json!.equals === 'boolean' || json!.equals === null;
  const holdsExpected = textSearch(expected);
  return {
    holds: (request) => {
      if (oneSpelling && !request.bodyHasBackslash && !holdsExpected(request.bodyText)) return false;
      return request.bodyJson !== undefined && JSON.stringify(atJsonPath(request.bodyJson, steps)) === expected;
    },
    reason: constant,
  };
}

/** The test of a condition without secrets, built once: what it needs of the request, and a sentence saying why it does not hold. */
function plainTest(condition: Exclude<Condition, SecretCondition>): PlainTest {
  if ('method' in condition) {
    const method = condition.method.toUpperCase();
    const reason = namingReason((sent) => `the method is ${sent}`);
    return { holds: ({ request }) => request.method.toUpperCase() === method, reason: ({ request }) => reason(request.method) };
  }
  if ('path' in condition) {
    const glob = condition.path;
    const reason = namingReason((sent) => `the path "${sent}" is not ${glob}`);
    return { holds: ({ request }) => globMatches(glob, request.path), reason: ({ request }) => reason(request.path) };
  }
  if ('pathRegex' in condition) {
    const pattern = patternOf(condition.pathRegex);
    const { regex } = pattern;
    const reason = namingReason((sent) => `the path "${sent}" does not match /${regex.source}/`);
    return {
      holds: ({ request }, regexTest) => testPattern(pattern, request.path.slice(0, maxRegexSubjectLength), regexTest),
      reason: ({ request }, holds) => (holds === undefined ? undecided(regex, 'the path') : reason(request.path)),
    };
  }
  if ('query' in condition) {
    const { name } = condition.query;
    const { holds, reason } = textTest(condition.query, `the query parameter "${name}"`);
    return { holds: (request, regexTest) => holds(request.queryValues(name), regexTest), reason };
  }
  if ('header' in condition) {
    const lower = condition.header.name.toLowerCase();
    const { holds, reason } = textTest(condition.header, `the header "${condition.header.name}"`);
    return { holds: (request, regexTest) => holds(request.headerValues(lower), regexTest), reason };
  }
  return bodyTest(condition.body);
}

function undecided(regex: RegExp, what: string): string {
  return `/${regex.source}/ took too long on ${what}, so the rule was skipped`;
}

function isSecretCondition(condition: Condition): condition is SecretCondition {
  return 'credentials' in condition || 'finding' in condition || 'signature' in condition;
}

/**
 * A bin's rules made ready for capture: each condition's pattern compiled and its names
 * lower-cased once, so a capture only runs the tests. Compile again when the rules change.
 *
 * @example
 * const compiled = compileRules([{ id: 'a', when: [{ pathRegex: '^/api/' }], respond: { status: 201 } }]);
 */
export function compileRules(rules: readonly Rule[]): CompiledRules {
  return { rules, tests: rules.map((rule) => rule.when.map(compiledCondition)) };
}

function compiledCondition(condition: Condition): CompiledCondition {
  const not = condition.not === true;
  if (!isSecretCondition(condition)) return { plain: plainTest(condition), secret: null, not, recordsHeldReason: false };
  return { plain: null, secret: condition, not, recordsHeldReason: 'credentials' in condition || 'signature' in condition };
}

/** Runs a pattern on the thread that asks, with no time limit: for patterns and texts known to be small. */
export const plainRegexTest: RegexTest = (regex, subject) => regex.test(subject);

/**
 * The rules whose conditions all hold (`not` turns one around), in order, up to the first without
 * `times`. A condition `regexTest` could not decide in time holds neither way: its rule is skipped.
 * A candidate's reasons are those of the conditions that did not hold in earlier rules, and of its
 * own secret checks; a candidate the store finds used up is skipped, so it adds none to the next.
 *
 * @example
 * ruleCandidates(compileRules([{ id: 'a', when: [{ method: 'POST' }], respond: { status: 201 } }]), { method: 'GET', path: '/', query: '', headers: [], body: new Uint8Array() }, () => ({ holds: false }));
 * // { candidates: [], reasons: ['the method is GET'] }
 */
export function ruleCandidates(compiled: CompiledRules, request: RuleRequest, secretCheck: SecretCheck, regexTest: RegexTest = plainRegexTest): RuleCandidates {
  const candidates: RuleCandidate[] = [];
  // The reasons of the rules that did not hold so far; a rule's own are pushed after them, and taken back when it holds.
  const reasons: string[] = [];
  const view = new RequestView(request);
  const { rules, tests } = compiled;
  for (let index = 0; index < rules.length; index++) {
    const before = reasons.length;
    const rule = rules[index]!;
    const ruleTests = tests[index]!;
    let holdsAll = true;
    for (let at = 0; at < ruleTests.length && holdsAll; at++) {
      const { plain, secret, not, recordsHeldReason } = ruleTests[at]!;
      if (plain) {
        const holds = plain.holds(view, regexTest);
        if (holds === undefined || holds === not) reasons.push(plain.reason(view, holds));
        holdsAll = holds !== undefined && holds !== not;
      } else {
        const { holds, reason } = secretCheck(secret!, index, at);
        if (reason !== undefined && (holds === not || recordsHeldReason)) reasons.push(reason);
        holdsAll = holds !== not;
      }
    }
    if (!holdsAll) continue;
    candidates.push({ index, reasons: reasons.slice() });
    reasons.length = before;
    if (rule.times === undefined) break;
  }
  return { candidates, reasons };
}
