import { findingCodes, type FindingCode } from '../auth/findings.ts';
import type { Expected } from '../auth/types.ts';
import { binHeaderProblem, isBinStatus, maxBinDelayMs, statusHasNoBody } from '../http/bin-response-rules.ts';
import { isSignatureScheme } from '../signatures/scheme-names.ts';
import { expectedFields } from './secret-fields.ts';
import type { BodyMatch, Condition, Rule, RuleResponse, TextMatch } from './types.ts';

/** At most this many rules on a bin, conditions on a rule. */
export const ruleLimits = { rules: 50, conditions: 20, patternLength: 256, textLength: 4096, times: 1_000_000 } as const;

/** The first thing wrong with a rules list: where (`rules[2].when[0].header.matches`) and what. */
export interface RuleProblem {
  path: string;
  message: string;
}

class Refusal extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

type Fields = Record<string, unknown>;

function refuse(path: string, message: string): never {
  throw new Refusal(path, message);
}

function object(value: unknown, path: string, allowed: readonly string[]): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse(path, 'must be an object');
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) refuse(`${path}.${unknown}`, `unknown field: use ${allowed.join(', ')}`);
  return value as Fields;
}

function text(value: unknown, path: string, { empty = false } = {}): string {
  if (typeof value !== 'string') refuse(path, 'must be a string');
  if (!empty && value === '') refuse(path, 'must not be empty');
  if (value.length > ruleLimits.textLength) refuse(path, `must be at most ${ruleLimits.textLength} characters`);
  return value;
}

function pattern(value: unknown, path: string): string {
  const source = text(value, path);
  if (source.length > ruleLimits.patternLength) refuse(path, `regular expression longer than ${ruleLimits.patternLength} characters`);
  try {
    new RegExp(source, 'u');
  } catch {
    refuse(path, 'invalid regular expression');
  }
  return source;
}

function textMatch(value: unknown, path: string): { name: string } & TextMatch {
  const fields = object(value, path, ['name', 'equals', 'contains', 'matches']);
  const tests = ['equals', 'contains', 'matches'].filter((key) => fields[key] !== undefined);
  if (tests.length > 1) refuse(path, 'use one of equals, contains, matches (none: the name is present)');
  return {
    name: text(fields.name, `${path}.name`),
    ...(fields.equals !== undefined && { equals: text(fields.equals, `${path}.equals`, { empty: true }) }),
    ...(fields.contains !== undefined && { contains: text(fields.contains, `${path}.contains`) }),
    ...(fields.matches !== undefined && { matches: pattern(fields.matches, `${path}.matches`) }),
  };
}

function bodyMatch(value: unknown, path: string): BodyMatch {
  const fields = object(value, path, ['contains', 'matches', 'json']);
  const tests = ['contains', 'matches', 'json'].filter((key) => fields[key] !== undefined);
  if (tests.length !== 1) refuse(path, 'use one of contains, matches, json');
  if (fields.contains !== undefined) return { contains: text(fields.contains, `${path}.contains`) };
  if (fields.matches !== undefined) return { matches: pattern(fields.matches, `${path}.matches`) };
  const json = object(fields.json, `${path}.json`, ['path', 'equals']);
  const jsonPath = text(json.path, `${path}.json.path`);
  if (!/^\$(\.[^.[\]]+|\[\d+\])*$/u.test(jsonPath)) refuse(`${path}.json.path`, 'must be a JSON path such as $.ticket.id or $.items[0]');
  if (!('equals' in json)) refuse(`${path}.json.equals`, 'is required (any JSON value)');
  return { json: { path: jsonPath, equals: json.equals } };
}

function expected(value: unknown, path: string): Expected {
  const kinds = Object.keys(expectedFields) as Expected['kind'][];
  const kind = (typeof value === 'object' && value !== null ? (value as Fields).kind : undefined) as Expected['kind'];
  if (!kinds.includes(kind)) refuse(`${path}.kind`, `must be one of ${kinds.join(', ')}`);
  const { secret, clear } = expectedFields[kind];
  const fields = object(value, path, ['kind', secret, ...clear]);
  const read: Fields = { kind, [secret]: text(fields[secret], `${path}.${secret}`) };
  for (const field of clear) read[field] = text(fields[field], `${path}.${field}`);
  return read as unknown as Expected;
}

const conditionKinds = ['method', 'path', 'pathRegex', 'query', 'header', 'body', 'credentials', 'finding', 'signature'] as const;

function condition(value: unknown, path: string): Condition {
  const fields = object(value, path, [...conditionKinds, 'not']);
  const kinds = conditionKinds.filter((key) => fields[key] !== undefined);
  if (kinds.length !== 1) refuse(path, `must have exactly one of ${conditionKinds.join(', ')}`);
  if (fields.not !== undefined && typeof fields.not !== 'boolean') refuse(`${path}.not`, 'must be true or false');
  const not = fields.not === true ? { not: true as const } : {};
  const kind = kinds[0]!;
  const at = `${path}.${kind}`;
  const given = fields[kind];
  switch (kind) {
    case 'method': {
      const method = text(given, at);
      if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/u.test(method)) refuse(at, 'must be an HTTP method such as POST');
      return { method: method.toUpperCase(), ...not };
    }
    case 'path': {
      const glob = text(given, at);
      if (!glob.startsWith('/')) refuse(at, 'must start with "/" (the path after the bin)');
      return { path: glob, ...not };
    }
    case 'pathRegex':
      return { pathRegex: pattern(given, at), ...not };
    case 'query':
      return { query: textMatch(given, at), ...not };
    case 'header':
      return { header: textMatch(given, at), ...not };
    case 'body':
      return { body: bodyMatch(given, at), ...not };
    case 'credentials':
      return { credentials: expected(given, at), ...not };
    case 'finding':
      if (!findingCodes.includes(given as FindingCode)) refuse(at, 'must be a finding code such as utf16 or trailing-newline');
      return { finding: given as FindingCode, ...not };
    case 'signature': {
      const signature = object(given, at, ['scheme', 'secret']);
      if (signature.scheme !== undefined && !isSignatureScheme(signature.scheme)) refuse(`${at}.scheme`, 'must be a signature scheme such as zendesk');
      return { signature: { ...(signature.scheme !== undefined && { scheme: signature.scheme }), secret: text(signature.secret, `${at}.secret`) }, ...not };
    }
  }
}

function respond(value: unknown, path: string, loginCookie: string | undefined): RuleResponse {
  const fields = object(value, path, ['status', 'headers', 'body', 'delayMs']);
  const read: RuleResponse = {};
  if (fields.status !== undefined) {
    if (!isBinStatus(fields.status)) refuse(`${path}.status`, 'must be a whole number from 200 to 599');
    read.status = fields.status;
  }
  if (fields.headers !== undefined) {
    const headers = object(fields.headers, `${path}.headers`, Object.keys(fields.headers ?? {}));
    for (const [name, headerValue] of Object.entries(headers)) {
      const problem = binHeaderProblem(name, headerValue, loginCookie);
      if (problem !== null) refuse(`${path}.headers.${name}`, problem);
    }
    read.headers = headers as Record<string, string>;
  }
  if (fields.body !== undefined) {
    if (typeof fields.body !== 'string') refuse(`${path}.body`, 'must be a string');
    if (fields.body !== '' && read.status !== undefined && statusHasNoBody(read.status)) refuse(`${path}.body`, `a ${read.status} response has no body`);
    read.body = fields.body;
  }
  if (fields.delayMs !== undefined) {
    if (!Number.isInteger(fields.delayMs) || (fields.delayMs as number) < 0 || (fields.delayMs as number) > maxBinDelayMs) {
      refuse(`${path}.delayMs`, `must be a whole number from 0 to ${maxBinDelayMs}`);
    }
    read.delayMs = fields.delayMs as number;
  }
  return read;
}

function rule(value: unknown, path: string, loginCookie: string | undefined): Rule {
  const fields = object(value, path, ['id', 'name', 'when', 'respond', 'times', 'answered']);
  if (fields.id !== undefined && typeof fields.id !== 'string') refuse(`${path}.id`, 'must be a string');
  if (fields.name !== undefined && (typeof fields.name !== 'string' || fields.name.length > 200)) refuse(`${path}.name`, 'must be a string of at most 200 characters');
  const when = fields.when ?? [];
  if (!Array.isArray(when)) refuse(`${path}.when`, 'must be a list of conditions ([] = always)');
  if (when.length > ruleLimits.conditions) refuse(`${path}.when`, `at most ${ruleLimits.conditions} conditions`);
  if (fields.times !== undefined && (!Number.isInteger(fields.times) || (fields.times as number) < 1 || (fields.times as number) > ruleLimits.times)) {
    refuse(`${path}.times`, `must be a whole number from 1 to ${ruleLimits.times}`);
  }
  return {
    id: (fields.id as string | undefined) ?? '',
    ...(typeof fields.name === 'string' && fields.name !== '' && { name: fields.name }),
    when: when.map((item, index) => condition(item, `${path}.when[${index}]`)),
    respond: respond(fields.respond ?? {}, `${path}.respond`, loginCookie),
    ...(fields.times !== undefined && { times: fields.times as number }),
  };
}

/**
 * Reads a bin's rules as `PUT /api/bins/{bin}/rules`, the CLI and the rules editor take them: the
 * rules (ids kept as sent, `answered` dropped), or the first problem, named by its field path.
 * Header values are checked by the bin response rules (`binHeaderProblem`, with the login cookie's
 * name on the server).
 *
 * @example
 * readRules({ rules: [{ when: [{ header: { name: 'x', matches: '(' } }], respond: {} }] });
 * // { problem: { path: 'rules[0].when[0].header.matches', message: 'invalid regular expression' } }
 */
export function readRules(value: unknown, loginCookie?: string): { rules: Rule[] } | { problem: RuleProblem } {
  try {
    const fields = object(value, 'body', ['rules']);
    if (!Array.isArray(fields.rules)) refuse('rules', 'must be a list of rules');
    if (fields.rules.length > ruleLimits.rules) refuse('rules', `at most ${ruleLimits.rules} rules on a bin`);
    return { rules: fields.rules.map((item, index) => rule(item, `rules[${index}]`, loginCookie)) };
  } catch (error) {
    if (error instanceof Refusal) return { problem: { path: error.path, message: error.message } };
    throw error;
  }
}

/**
 * A problem as one line: `rules[2].when[0].header.matches: invalid regular expression`.
 *
 * @example
 * problemLine({ path: 'rules[0].times', message: 'must be a whole number from 1 to 1000000' }); // 'rules[0].times: must be …'
 */
export function problemLine(problem: RuleProblem): string {
  return `${problem.path}: ${problem.message}`;
}
