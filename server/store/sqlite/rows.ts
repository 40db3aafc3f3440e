// How bins and requests sit in the SQLite file, and how they are read back.
import type { ForwardResult } from '../../../shared/api.ts';
import type { HeaderPair } from '../../../shared/auth/types.ts';
import type { RequestAnswer } from '../../../shared/rules/types.ts';
import { answerText, type BinColumns, type RequestColumns } from '../columns.ts';
import type { StoredRequest } from '../store.ts';

export type BinRow = BinColumns<number>;

/** Headers are JSON text, `truncated` 0 or 1; an id past 2^53 comes back as a bigint. */
export type RequestRow = RequestColumns<number | bigint, number, string, number>;

/** A request's columns, as `RequestRow` holds them, but for the body: given as `body`, it may read only its first bytes. */
export const requestColumnsWith = (body: string) => `requests.id, requests.bin, requests.received_at, requests.method, requests.path, requests.query,
  requests.http_version, requests.remote_address, requests.remote_port, requests.headers, ${body} AS body, requests.body_size, requests.truncated,
  requests.parser_error, requests.forward, ${answerText} AS answer, requests.answer_recorded`;

/** The columns of a `RequestRow`. */
export const requestColumns = requestColumnsWith('requests.body');

/**
 * What a request list reads of a request: the columns it shows, and the summary the indexer stored,
 * if any. Read raw, as an array: better-sqlite3 builds those faster than objects with named keys.
 */
export type SummaryRow = [id: number | bigint, receivedAt: number, method: string, path: string, query: string, bodySize: number, parserError: string | null, summary: string | null];

export function toStoredRequest(row: RequestRow): StoredRequest {
  return {
    id: String(row.id),
    bin: row.bin,
    receivedAt: row.received_at,
    method: row.method,
    path: row.path,
    query: row.query,
    httpVersion: row.http_version,
    remoteAddress: row.remote_address,
    remotePort: row.remote_port,
    headers: JSON.parse(row.headers) as HeaderPair[],
    body: row.body,
    bodySize: row.body_size,
    truncated: row.truncated === 1,
    parserError: row.parser_error,
    forward: row.forward ? (JSON.parse(row.forward) as ForwardResult) : null,
    answer: row.answer ? (JSON.parse(row.answer) as RequestAnswer) : null,
    answerRecorded: row.answer_recorded === 1,
  };
}
