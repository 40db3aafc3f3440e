/**
 * A bin's rules (#19): an ordered list, the first rule whose conditions all hold answers; when none
 * does, the bin's own response does. What the API takes and gives back (`GET|PUT /api/bins/{bin}/rules`),
 * what the rules editor builds and what each capture records as its answer.
 *
 * @example
 * const zendesk: Rule = {
 *   id: '',
 *   name: 'Zendesk API',
 *   when: [{ credentials: { kind: 'api-token', email: 'me@example.com', token: '…' }, not: true }],
 *   respond: { status: 401, headers: { 'X-Authbin-Reason': '{{reason}}' }, body: '{"error":"Couldn\'t authenticate you"}' },
 * };
 */
import type { FindingCode } from '../auth/findings.ts';
import type { Expected } from '../auth/types.ts';
import type { SignatureScheme } from '../signatures/scheme-names.ts';

/** How a query parameter or header value is tested; none of the three: the name is present. */
export interface TextMatch {
  equals?: string;
  contains?: string;
  /** A regular expression, bounded in length and in how long it may run. */
  matches?: string;
}

/** What the request body is tested for: text it contains or matches, or a value at a JSON path. */
export interface BodyMatch {
  contains?: string;
  matches?: string;
  json?: { path: string; equals: unknown };
}

/** One condition of a rule, of one kind; `not: true` turns it around. */
export type Condition = { not?: true } & (
  | { method: string }
  /** A glob on the path after the bin, e.g. "/api/v2/*". */
  | { path: string }
  | { pathRegex: string }
  | { query: { name: string } & TextMatch }
  /** The name in any letter case. */
  | { header: { name: string } & TextMatch }
  | { body: BodyMatch }
  /** The request's credentials are these; secrets come back from the API masked (last 4 characters and length). */
  | { credentials: Expected }
  /** The request's Authorization analysis has this finding. */
  | { finding: FindingCode }
  /** The request's signature verifies with this secret (masked by the API, as credentials are). */
  | { signature: { scheme?: SignatureScheme; secret: string } }
);

/** What a rule answers; what it leaves out, the bin's response gives. Bodies and header values may hold placeholders such as `{{reason}}`. */
export interface RuleResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
}

export interface Rule {
  /** Assigned by the server; empty in a rule not saved yet. */
  id: string;
  name?: string;
  /** All must hold; none: the rule always applies. */
  when: Condition[];
  respond: RuleResponse;
  /** The rule answers at most this many requests (until its counter is reset), then is skipped. */
  times?: number;
  /** How many requests it has answered since the counters were last reset; given by the API, ignored when sent. */
  answered?: number;
}

/** `GET`, `PUT /api/bins/{bin}/rules` and `POST …/rules/reset`: the bin's rules, in order. */
export interface RulesResponse {
  rules: Rule[];
}

/** How a captured request was answered, recorded with it: the status, the rule that answered (null: the bin's response), and why. */
export interface RequestAnswer {
  status: number;
  rule: { id: string; name: string | null } | null;
  /** Plain sentences from the conditions that decided and the earlier rules that did not match; never a secret. */
  reasons: string[];
  /** authbin answered on its own, neither a rule nor the bin's response: a 413 past the body limit, a CORS preflight, a request its HTTP parser refused. */
  own?: true;
}
