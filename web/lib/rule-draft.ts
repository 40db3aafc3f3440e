import { findingCodes } from '../../shared/auth/findings.ts';
import type { Expected } from '../../shared/auth/types.ts';
import { readHeaderLine } from '../../shared/http/header-rules.ts';
import type { Condition, Rule } from '../../shared/rules/types.ts';

/** The kinds of condition a rule can hold, in the order the picker lists them. */
export const CONDITION_KINDS = [
  { kind: 'method', label: 'Method' },
  { kind: 'path', label: 'Path (glob)' },
  { kind: 'pathRegex', label: 'Path (regular expression)' },
  { kind: 'query', label: 'Query parameter' },
  { kind: 'header', label: 'Header' },
  { kind: 'body', label: 'Body' },
  { kind: 'credentials', label: 'Credentials' },
  { kind: 'finding', label: 'Authorization finding' },
  { kind: 'signature', label: 'Signature verifies' },
] as const;

export type ConditionKind = (typeof CONDITION_KINDS)[number]['kind'];

/** How a query parameter, header or body is tested; "present" only for the first two. */
export type MatchOp = 'present' | 'equals' | 'contains' | 'matches' | 'json';

/**
 * One condition as the form holds it: every kind's inputs side by side, so switching the kind keeps
 * what was typed. `value` is the method, glob, regex, finding code, or the text to compare with.
 */
export interface ConditionDraft {
  kind: ConditionKind;
  not: boolean;
  name: string;
  op: MatchOp;
  value: string;
  /** Body JSON: the path, and the value as JSON text. */
  jsonPath: string;
  expected: Expected;
  scheme: string;
  secret: string;
}

/** One rule as the form holds it: numbers and headers as typed, checked only when built. */
export interface RuleDraft {
  /** The server's id of a rule kept from before; empty for a new one. */
  id: string;
  name: string;
  when: ConditionDraft[];
  status: string;
  /** One "Name: value" a line. */
  headers: string;
  body: string;
  delayMs: string;
  /** Empty: no limit. */
  times: string;
}

/** A form field the draft could not turn into a rule, named by the path the server uses. */
export interface DraftProblem {
  path: string;
  message: string;
}

export function emptyCondition(kind: ConditionKind = 'method'): ConditionDraft {
  return { kind, not: false, name: '', op: kind === 'body' ? 'contains' : 'present', value: '', jsonPath: '', expected: { kind: 'api-token', email: '', token: '' }, scheme: '', secret: '' };
}

export function emptyRule(): RuleDraft {
  return { id: '', name: '', when: [], status: '', headers: '', body: '', delayMs: '', times: '' };
}

function textMatch(op: MatchOp, value: string): { equals: string } | { contains: string } | { matches: string } | Record<string, never> {
  if (op === 'equals') return { equals: value };
  if (op === 'contains') return { contains: value };
  if (op === 'matches') return { matches: value };
  return {};
}

function conditionFromDraft(draft: ConditionDraft, path: string): Condition | DraftProblem {
  const not = draft.not ? { not: true as const } : {};
  switch (draft.kind) {
    case 'method':
      return { method: draft.value.trim().toUpperCase(), ...not };
    case 'path':
      return { path: draft.value, ...not };
    case 'pathRegex':
      return { pathRegex: draft.value, ...not };
    case 'query':
      return { query: { name: draft.name, ...textMatch(draft.op, draft.value) }, ...not };
    case 'header':
      return { header: { name: draft.name, ...textMatch(draft.op, draft.value) }, ...not };
    case 'body': {
      if (draft.op !== 'json') return { body: draft.op === 'matches' ? { matches: draft.value } : { contains: draft.value }, ...not };
      let equals: unknown;
      try {
        equals = JSON.parse(draft.value);
      } catch {
        return { path: `${path}.body.json.equals`, message: 'the value must be JSON, e.g. 42, "open" or true' };
      }
      return { body: { json: { path: draft.jsonPath, equals } }, ...not };
    }
    case 'credentials':
      return { credentials: draft.expected, ...not };
    case 'finding': {
      const finding = findingCodes.find((code) => code === draft.value);
      return finding ? { finding, ...not } : { path: `${path}.finding`, message: 'pick the finding the request must have' };
    }
    case 'signature':
      return { signature: { ...(draft.scheme ? { scheme: draft.scheme } : {}), secret: draft.secret }, ...not } as Condition;
  }
}

function wholeNumber(text: string): number | null {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : null;
}

/**
 * Builds the rules to send from the form, or lists every field that is not even a number or a header
 * line (the rest the shared validator judges). Fields left empty are left out, so the server's
 * defaults apply.
 */
export function rulesFromDrafts(drafts: RuleDraft[]): { rules: Rule[] } | { problems: DraftProblem[] } {
  const problems: DraftProblem[] = [];
  const rules = drafts.map((draft, index): Rule => {
    const path = `rules[${index}]`;
    const when: Condition[] = [];
    draft.when.forEach((condition, at) => {
      const built = conditionFromDraft(condition, `${path}.when[${at}]`);
      if ('message' in built) problems.push(built);
      else when.push(built as Condition);
    });
    const respond: Rule['respond'] = {};
    if (draft.status.trim() !== '') {
      const status = wholeNumber(draft.status);
      if (status === null) problems.push({ path: `${path}.respond.status`, message: 'the status must be a number, e.g. 401' });
      else respond.status = status;
    }
    if (draft.delayMs.trim() !== '') {
      const delayMs = wholeNumber(draft.delayMs);
      if (delayMs === null) problems.push({ path: `${path}.respond.delayMs`, message: 'the delay must be a whole number of milliseconds' });
      else respond.delayMs = delayMs;
    }
    const headers: Record<string, string> = {};
    for (const line of draft.headers.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      const header = readHeaderLine(line.replace(/^[ \t]+/, ''));
      if (!header) problems.push({ path: `${path}.respond.headers`, message: `"${line.trim()}" is not "Name: value"` });
      else headers[header[0]] = header[1];
    }
    if (Object.keys(headers).length > 0) respond.headers = headers;
    if (draft.body !== '') respond.body = draft.body;
    const rule: Rule = { id: draft.id, when, respond };
    if (draft.name !== '') rule.name = draft.name;
    if (draft.times.trim() !== '') {
      const times = wholeNumber(draft.times);
      if (times === null) problems.push({ path: `${path}.times`, message: 'times must be a whole number, or empty for no limit' });
      else rule.times = times;
    }
    return rule;
  });
  return problems.length > 0 ? { problems } : { rules };
}

function matchDraft(match: { equals?: string; contains?: string; matches?: string }): { op: MatchOp; value: string } {
  if (match.equals !== undefined) return { op: 'equals', value: match.equals };
  if (match.contains !== undefined) return { op: 'contains', value: match.contains };
  if (match.matches !== undefined) return { op: 'matches', value: match.matches };
  return { op: 'present', value: '' };
}

function draftFromCondition(condition: Condition): ConditionDraft {
  const base = emptyCondition();
  const not = condition.not === true;
  if ('method' in condition) return { ...base, kind: 'method', not, value: condition.method };
  if ('path' in condition) return { ...base, kind: 'path', not, value: condition.path };
  if ('pathRegex' in condition) return { ...base, kind: 'pathRegex', not, value: condition.pathRegex };
  if ('query' in condition) return { ...base, kind: 'query', not, name: condition.query.name, ...matchDraft(condition.query) };
  if ('header' in condition) return { ...base, kind: 'header', not, name: condition.header.name, ...matchDraft(condition.header) };
  if ('body' in condition) {
    const { json } = condition.body;
    if (json) return { ...base, kind: 'body', not, op: 'json', jsonPath: json.path, value: JSON.stringify(json.equals) };
    return { ...base, kind: 'body', not, ...matchDraft(condition.body) };
  }
  if ('credentials' in condition) return { ...base, kind: 'credentials', not, expected: condition.credentials };
  if ('finding' in condition) return { ...base, kind: 'finding', not, value: condition.finding };
  return { ...base, kind: 'signature', not, scheme: condition.signature.scheme ?? '', secret: condition.signature.secret };
}

/** The form's drafts for rules as the API returns them (secrets already masked by the server). */
export function draftsFromRules(rules: readonly Rule[]): RuleDraft[] {
  return rules.map((rule) => ({
    id: rule.id,
    name: rule.name ?? '',
    when: rule.when.map(draftFromCondition),
    status: rule.respond.status === undefined ? '' : String(rule.respond.status),
    headers: Object.entries(rule.respond.headers ?? {})
      .map(([name, value]) => `${name}: ${value}`)
      .join('\n'),
    body: rule.respond.body ?? '',
    delayMs: rule.respond.delayMs === undefined ? '' : String(rule.respond.delayMs),
    times: rule.times === undefined ? '' : String(rule.times),
  }));
}

/** Moves the item at `from` to `to` (both clamped into the list), returning a new list. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(items.length - 1, to));
  if (from === target || from < 0 || from >= items.length) return [...items];
  const next = [...items];
  const [moved] = next.splice(from, 1);
  next.splice(target, 0, moved as T);
  return next;
}

/**
 * The form field a problem's path names: a condition's row (`rules[2].when[0]`, whatever part of it),
 * or a rule's own field (`rules[2].respond.status`, `rules[2].times`; a header's name folds into
 * `rules[2].respond.headers`, the one box they are typed in). Other paths stay as they are.
 */
export function fieldOfPath(path: string): string {
  const condition = /^rules\[\d+\]\.when\[\d+\]/.exec(path);
  if (condition) return condition[0];
  const respond = /^rules\[\d+\]\.respond\.(status|headers|body|delayMs)/.exec(path);
  if (respond) return respond[0];
  const field = /^rules\[\d+\]\.(name|times)/.exec(path);
  if (field) return field[0];
  return path;
}

/** Reads the server's "rules[2].when[0].header.matches: invalid regular expression" into its path and message. */
export function problemFromMessage(message: string): DraftProblem | null {
  const match = /^(rules(?:\[\d+\])?[^\s:]*): (.+)$/s.exec(message);
  return match ? { path: match[1]!, message: match[2]! } : null;
}
