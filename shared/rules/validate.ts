/**
 * Reads a bin's rules as `PUT /api/bins/{bin}/rules`, the rules editor and `authbin rules set` take
 * them (#19): every problem, each named by its path (`rules[2].when[0].header.matches`), so the
 * editor can show it beside its field. One reader for the UI and the server, so they cannot disagree.
 */
import { findingCodes } from '../auth/findings.ts';
import type { Expected } from '../auth/types.ts';
import { binHeaderProblem, binStatusRange, isBinStatus, maxBinDelayMs, statusHasNoBody } from '../http/bin-response-rules.ts';
import { isToken } from '../http/header-rules.ts';
import { SIGNATURE_SCHEMES } from '../signatures/scheme-names.ts';
import { backtrackingRisk } from './regex-guard.ts';
import type { Condition, Rule, RuleResponse } from './types.ts';

/** A bound on a pattern's length, so that what capture has to evaluate stays small. */
export const maxRulePatternLength = 500;
export const maxRules = 100;
export const maxRuleNameLength = 100;

export interface RuleProblem {
  /** Where, as `rules[2].when[0].header.matches`. */
  path: string;
  message: string;
}

const CONDITION_KINDS = ['method', 'path', 'pathRegex', 'query', 'header', 'body', 'credentials', 'finding', 'signature'] as const;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why a regular expression cannot be used in a rule, or null. */
function patternProblem(pattern: unknown): string | null {
  if (typeof pattern !== 'string') return 'must be a string';
  if (pattern.length > maxRulePatternLength) return `is longer than ${maxRulePatternLength} characters`;
  try {
    new RegExp(pattern);
  } catch {
    return 'invalid regular expression';
  }
  return backtrackingRisk(pattern);
}

function readTextMatch(value: Record<string, unknown>, path: string, problems: RuleProblem[]): void {
  const tests = (['equals', 'contains', 'matches'] as const).filter((key) => value[key] !== undefined);
  if (tests.length > 1) problems.push({ path, message: 'give at most one of equals, contains and matches' });
  for (const key of tests) {
    if (typeof value[key] !== 'string') problems.push({ path: `${path}.${key}`, message: 'must be a string' });
  }
  const pattern = value.matches !== undefined ? patternProblem(value.matches) : null;
  if (pattern && typeof value.matches === 'string') problems.push({ path: `${path}.matches`, message: pattern });
}

function readExpected(value: unknown, path: string, problems: RuleProblem[]): void {
  if (!isObject(value)) return void problems.push({ path, message: 'must be the expected credentials, e.g. {"kind":"api-token","email":"…","token":"…"}' });
  const fields: Record<Expected['kind'], string[]> = { password: ['email', 'password'], 'api-token': ['email', 'token'], oauth: ['token'], 'api-key': ['header', 'value'], header: ['value'] };
  const names = fields[value.kind as Expected['kind']];
  if (!names) return void problems.push({ path: `${path}.kind`, message: `must be one of ${Object.keys(fields).join(', ')}` });
  for (const name of names) {
    if (typeof value[name] !== 'string' || value[name] === '') problems.push({ path: `${path}.${name}`, message: 'must be filled in' });
  }
  if (value.kind === 'api-key' && typeof value.header === 'string' && value.header !== '' && !isToken(value.header)) problems.push({ path: `${path}.header`, message: 'is not a header name' });
}

function readCondition(value: unknown, path: string, problems: RuleProblem[]): void {
  if (!isObject(value)) return void problems.push({ path, message: 'must be an object such as {"method":"POST"}' });
  const kinds = Object.keys(value).filter((key) => key !== 'not');
  if (value.not !== undefined && value.not !== true) problems.push({ path: `${path}.not`, message: 'must be true or left out' });
  const kind = kinds[0] as (typeof CONDITION_KINDS)[number];
  if (kinds.length !== 1 || !CONDITION_KINDS.includes(kind)) return void problems.push({ path, message: `must hold exactly one of ${CONDITION_KINDS.join(', ')}` });
  const at = `${path}.${kind}`;
  const field = value[kind];
  switch (kind) {
    case 'method':
      if (typeof field !== 'string' || !isToken(field)) problems.push({ path: at, message: 'is not a method, e.g. POST' });
      return;
    case 'path':
      if (typeof field !== 'string' || field.length > maxRulePatternLength) problems.push({ path: at, message: `must be a glob of at most ${maxRulePatternLength} characters, e.g. /api/v2/*` });
      return;
    case 'pathRegex': {
      const problem = patternProblem(field);
      if (problem) problems.push({ path: at, message: problem });
      return;
    }
    case 'query':
    case 'header':
      if (!isObject(field) || typeof field.name !== 'string' || field.name === '') return void problems.push({ path: `${at}.name`, message: 'must be filled in' });
      if (kind === 'header' && !isToken(field.name)) problems.push({ path: `${at}.name`, message: 'is not a header name' });
      return readTextMatch(field, at, problems);
    case 'body': {
      if (!isObject(field)) return void problems.push({ path: at, message: 'must be an object with contains, matches or json' });
      const tests = (['contains', 'matches', 'json'] as const).filter((key) => field[key] !== undefined);
      if (tests.length !== 1) return void problems.push({ path: at, message: 'give exactly one of contains, matches and json' });
      if (field.json !== undefined) {
        const json = field.json;
        if (!isObject(json) || typeof json.path !== 'string' || !json.path.startsWith('$')) problems.push({ path: `${at}.json.path`, message: 'must be a JSON path such as $.ticket.id' });
        else if (!('equals' in json)) problems.push({ path: `${at}.json.equals`, message: 'must be given' });
        return;
      }
      return readTextMatch(field, at, problems);
    }
    case 'credentials':
      return readExpected(field, at, problems);
    case 'finding':
      if (!findingCodes.some((code) => code === field)) problems.push({ path: at, message: 'is not a finding code, e.g. utf16' });
      return;
    case 'signature':
      if (!isObject(field)) return void problems.push({ path: at, message: 'must be an object with a secret' });
      if (field.scheme !== undefined && !SIGNATURE_SCHEMES.some((scheme) => scheme === field.scheme)) problems.push({ path: `${at}.scheme`, message: `must be one of ${SIGNATURE_SCHEMES.join(', ')}` });
      if (typeof field.secret !== 'string' || field.secret === '') problems.push({ path: `${at}.secret`, message: 'must be filled in' });
      return;
  }
}

function readRespond(value: unknown, path: string, problems: RuleProblem[]): void {
  if (!isObject(value)) return void problems.push({ path, message: 'must be an object with status, headers, body, delayMs' });
  const { status, headers, body, delayMs, ...rest } = value as RuleResponse & Record<string, unknown>;
  for (const key of Object.keys(rest)) problems.push({ path: `${path}.${key}`, message: 'is not a response field: use status, headers, body, delayMs' });
  if (status !== undefined && !isBinStatus(status)) problems.push({ path: `${path}.status`, message: `must be a whole number from ${binStatusRange.min} to ${binStatusRange.max}` });
  if (headers !== undefined) {
    if (!isObject(headers)) problems.push({ path: `${path}.headers`, message: 'must be an object of header names to values' });
    else {
      for (const [name, headerValue] of Object.entries(headers)) {
        const problem = binHeaderProblem(name, headerValue);
        if (problem) problems.push({ path: `${path}.headers.${name}`, message: problem });
      }
    }
  }
  if (body !== undefined && typeof body !== 'string') problems.push({ path: `${path}.body`, message: 'must be a string' });
  else if (body && isBinStatus(status) && statusHasNoBody(status)) problems.push({ path: `${path}.body`, message: `a ${status} response has no body` });
  if (delayMs !== undefined && (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > maxBinDelayMs)) problems.push({ path: `${path}.delayMs`, message: `must be a whole number from 0 to ${maxBinDelayMs}` });
}

/**
 * The rules, checked; or every problem, each at its path. `answered`, which the API gives, is ignored.
 *
 * @example
 * readRules([{ id: '', when: [{ header: { name: 'X-Id', matches: '(' } }], respond: {} }]);
 * // { problems: [{ path: 'rules[0].when[0].header.matches', message: 'invalid regular expression' }] }
 */
export function readRules(value: unknown): { rules: Rule[] } | { problems: RuleProblem[] } {
  if (!Array.isArray(value)) return { problems: [{ path: 'rules', message: 'must be a list of rules' }] };
  if (value.length > maxRules) return { problems: [{ path: 'rules', message: `at most ${maxRules} rules` }] };
  const problems: RuleProblem[] = [];
  const rules = value.map((rule: unknown, index): Rule => {
    const path = `rules[${index}]`;
    if (!isObject(rule)) {
      problems.push({ path, message: 'must be an object with when and respond' });
      return { id: '', when: [], respond: {} };
    }
    const { id = '', name, when, respond, times, answered: _answered, ...rest } = rule;
    for (const key of Object.keys(rest)) problems.push({ path: `${path}.${key}`, message: 'is not a rule field: use id, name, when, respond, times' });
    if (typeof id !== 'string') problems.push({ path: `${path}.id`, message: 'must be a string' });
    if (name !== undefined && (typeof name !== 'string' || name.length > maxRuleNameLength)) problems.push({ path: `${path}.name`, message: `must be text of at most ${maxRuleNameLength} characters` });
    if (!Array.isArray(when)) problems.push({ path: `${path}.when`, message: 'must be a list of conditions ([] for always)' });
    else when.forEach((condition, at) => readCondition(condition, `${path}.when[${at}]`, problems));
    readRespond(respond, `${path}.respond`, problems);
    if (times !== undefined && (!Number.isInteger(times) || (times as number) < 1)) problems.push({ path: `${path}.times`, message: 'must be a whole number, 1 or more (leave it out for no limit)' });
    const read: Rule = { id: id as string, when: when as Condition[], respond: respond as RuleResponse };
    if (name !== undefined) read.name = name as string;
    if (times !== undefined) read.times = times as number;
    return read;
  });
  return problems.length > 0 ? { problems } : { rules };
}
