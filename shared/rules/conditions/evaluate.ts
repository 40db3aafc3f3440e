import type { HeaderPair } from '../../auth/types.ts';
import { maxRegexSubjectLength } from '../regex-guard.ts';
import type { BodyMatch, Condition, Rule, TextMatch } from '../types.ts';

/** What conditions look at: the request as captured (the path after the bin, the raw query). */
export interface RuleRequest {
  method: string;
  path: string;
  query: string;
  headers: HeaderPair[];
  body: Uint8Array;
}

/**
 * The conditions that hold secrets or need the Authorization analysis (credentials, finding,
 * signature): the server answers them with the keyed hashes it keeps, and says why one does not hold.
 */
export type SecretCheck = (condition: Extract<Condition, { credentials: unknown } | { finding: unknown } | { signature: unknown }>, ruleIndex: number, conditionIndex: number) => { holds: boolean; reason?: string };

/** Which rule answers (its index, or null: the bin's response) and the reasons of the conditions that decided. */
export interface RuleChoice {
  index: number | null;
  reasons: string[];
}

/** A glob on the path: `*` stands for any run of characters, `/` included; the rest is literal. */
function globPattern(glob: string): RegExp {
  const literal = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('.*')}$`, 's');
}

function textHolds(values: string[], match: TextMatch): boolean {
  if (match.equals !== undefined) return values.includes(match.equals);
  if (match.contains !== undefined) return values.some((value) => value.includes(match.contains!));
  if (match.matches !== undefined) return values.some((value) => new RegExp(match.matches!).test(value.slice(0, maxRegexSubjectLength)));
  return values.length > 0;
}

/** The value at a path such as `$.ticket.id` or `$.items[0]`, or undefined. */
function atJsonPath(document: unknown, path: string): unknown {
  const steps = path.slice(1).match(/\.[^.[\]]+|\[\d+\]/g) ?? [];
  let value = document;
  for (const step of steps) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[step.startsWith('[') ? step.slice(1, -1) : step.slice(1)];
  }
  return value;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function bodyHolds(body: Uint8Array, match: BodyMatch): boolean {
  const text = new TextDecoder().decode(body);
  if (match.contains !== undefined) return text.includes(match.contains);
  if (match.matches !== undefined) return new RegExp(match.matches).test(text.slice(0, maxRegexSubjectLength));
  try {
    return sameJson(atJsonPath(JSON.parse(text) as unknown, match.json!.path), match.json!.equals);
  } catch {
    return false;
  }
}

/** Whether a condition without secrets holds, before `not`; and a sentence saying why not. */
function plainCondition(condition: Condition, request: RuleRequest): { holds: boolean; reason: string } {
  if ('method' in condition) return { holds: request.method.toUpperCase() === condition.method.toUpperCase(), reason: `the method is ${request.method}` };
  if ('path' in condition) return { holds: globPattern(condition.path).test(request.path), reason: `the path "${request.path}" is not ${condition.path}` };
  if ('pathRegex' in condition) return { holds: new RegExp(condition.pathRegex).test(request.path.slice(0, maxRegexSubjectLength)), reason: `the path "${request.path}" does not match /${condition.pathRegex}/` };
  if ('query' in condition) {
    const values = new URLSearchParams(request.query).getAll(condition.query.name);
    return { holds: textHolds(values, condition.query), reason: `the query parameter "${condition.query.name}" does not hold` };
  }
  if ('header' in condition) {
    const name = condition.header.name.toLowerCase();
    const values = request.headers.filter(([header]) => header.toLowerCase() === name).map(([, value]) => value);
    return { holds: textHolds(values, condition.header), reason: `the header "${condition.header.name}" does not hold` };
  }
  if ('body' in condition) return { holds: bodyHolds(request.body, condition.body), reason: 'the body does not hold' };
  throw new Error('a condition with secrets goes to the secret check');
}

/**
 * The first rule whose conditions all hold (`not` turns one around), skipping those `exhausted`
 * says have answered their `times`; null when none does. The reasons are those of the conditions
 * that did not hold in earlier rules, and of the secret checks of the rule that answered.
 *
 * @example
 * chooseRule([{ id: 'a', when: [{ method: 'POST' }], respond: { status: 201 } }], { method: 'GET', path: '/', query: '', headers: [], body: new Uint8Array() }, () => ({ holds: false }));
 * // { index: null, reasons: ['the method is GET'] }
 */
export function chooseRule(rules: readonly Rule[], request: RuleRequest, secretCheck: SecretCheck, exhausted: (index: number) => boolean = () => false): RuleChoice {
  const reasons: string[] = [];
  for (let index = 0; index < rules.length; index++) {
    if (exhausted(index)) continue;
    const decided: string[] = [];
    let holdsAll = true;
    for (let at = 0; at < rules[index]!.when.length && holdsAll; at++) {
      const condition = rules[index]!.when[at]!;
      const { holds, reason } = 'credentials' in condition || 'finding' in condition || 'signature' in condition ? secretCheck(condition, index, at) : plainCondition(condition, request);
      if (reason !== undefined && (holds === (condition.not === true) || 'credentials' in condition || 'signature' in condition)) decided.push(reason);
      holdsAll = holds !== (condition.not === true);
    }
    reasons.push(...decided);
    if (holdsAll) return { index, reasons };
  }
  return { index: null, reasons };
}
