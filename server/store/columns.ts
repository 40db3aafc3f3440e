import type { Bin, BinResponse } from '../../shared/api.ts';
import type { StoredRule } from '../rules/stored-rules.ts';

/**
 * The columns of bins and requests, the same on both engines; the types are what each driver reads
 * back: `Int64` a number from SQLite, a string from a PostgreSQL bigint.
 */

export interface BinColumns<Int64> {
  id: string;
  created_at: Int64;
  /** The bin's response (a `BinResponse` as JSON), or null for the default. */
  response: string | null;
  request_count: number;
  last_request_at: Int64 | null;
  forward_to: string | null;
}

export interface RequestColumns<Id, Int64, Headers, Flag> {
  id: Id;
  bin: string;
  received_at: Int64;
  method: string;
  path: string;
  query: string;
  http_version: string;
  remote_address: string | null;
  remote_port: number | null;
  headers: Headers;
  body: Buffer;
  body_size: Int64;
  truncated: Flag;
  /** The relay to the bin's `forwardTo` (a `ForwardResult` as JSON), once recorded. */
  forward: string | null;
  /**
   * How the sender was answered (a `RequestAnswer` as JSON), on bins with rules; else null. Read from
   * the answers table, which requests refer to by `answer_id`, or the request's own column, which
   * the requests stored before that table hold.
   */
  answer: string | null;
  /** Whether `answer` was recorded at capture (null then meaning the default response): 0 or false for requests stored before. */
  answer_recorded: Flag;
  /** The HTTP parser's error code for a request it refused (see `CapturedRequest.parserError`), else null. */
  parser_error: string | null;
}

/** The columns a request is inserted with, in the order of the values each engine binds. */
export const insertedRequestColumns = 'bin, received_at, method, path, query, http_version, remote_address, remote_port, headers, body, body_size, truncated, parser_error, answer_id, answer_recorded';

/** A request's answer as read back (see `RequestColumns.answer`). */
export const answerText = 'coalesce((SELECT text FROM answers WHERE answers.id = requests.answer_id), requests.answer)';

/**
 * The `answer` column of a capture answered by its bin's own response: the same JSON as a recorded
 * `RequestAnswer`, written out directly since it is built on every such capture; null for the default.
 */
export function ownResponseAnswer(status: number): string {
  return `{"status":${status},"rule":null,"reasons":[]}`;
}

export function toBin(row: BinColumns<number | string>): Bin {
  return {
    id: row.id,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    requestCount: row.request_count,
    lastRequestAt: row.last_request_at === null ? null : new Date(Number(row.last_request_at)).toISOString(),
    response: row.response ? (JSON.parse(row.response) as BinResponse) : null,
    forwardTo: row.forward_to,
  };
}

/** A row of bin_rules: the rule and its kept secrets as JSON, and its counter. */
export interface RuleRow {
  rule: string;
  secrets: string;
  answered: number;
}

export function toStoredRule(row: RuleRow): StoredRule {
  return { rule: JSON.parse(row.rule) as StoredRule['rule'], secrets: JSON.parse(row.secrets) as StoredRule['secrets'], answered: row.answered };
}
