import type { ForwardResult } from '../../../shared/api.ts';
import type { HeaderPair } from '../../../shared/auth/types.ts';
import type { RequestAnswer } from '../../../shared/rules/types.ts';
import { answerText, type BinColumns, type RequestColumns } from '../columns.ts';
import type { CapturedRequest, StoredRequest } from '../store.ts';

export type BinRow = BinColumns<string>;

/** Plus the exact text of the fields that held U+0000 (see `storableText`). */
export type RequestRow = RequestColumns<string, string, HeaderPair[], boolean> & { exact_fields: string | null };

/** Every column a request is read back from (not the search vector). */
export const requestColumns =
  'id, bin, received_at, method, path, query, http_version, remote_address, remote_port, headers, body, body_size, truncated, parser_error, forward, answer, answer_recorded, exact_fields';

/** How a SELECT of requests reads one of `requestColumns`: `answer` as `answerText` gives it. */
export const selectedColumn = (column: string) => (column === 'answer' ? `${answerText} AS answer` : column);

/** `requestColumns` as a SELECT of requests reads them. */
export const selectedRequestColumns = requestColumns.split(', ').map(selectedColumn).join(', ');

/** The text fields that could hold U+0000 (imports take any string), which PostgreSQL text and jsonb refuse. */
interface TextFields {
  path: string;
  query: string;
  httpVersion: string;
  remoteAddress: string | null;
  headers: HeaderPair[];
}

const hasNul = (text: string | null) => text !== null && text.includes('\0');
const withoutNul = (text: string) => text.replaceAll('\0', '\uFFFD');

/**
 * The text fields as columns can hold them: U+0000 shown as U+FFFD, and the exact values of the
 * fields that held it kept as JSON text (which writes U+0000 as an escape), so nothing is lost.
 */
export function storableText(request: CapturedRequest): TextFields & { exactFields: string | null } {
  const exact: Partial<TextFields> = {};
  if (hasNul(request.path)) exact.path = request.path;
  if (hasNul(request.query)) exact.query = request.query;
  if (hasNul(request.httpVersion)) exact.httpVersion = request.httpVersion;
  if (hasNul(request.remoteAddress)) exact.remoteAddress = request.remoteAddress;
  if (request.headers.some(([name, value]) => hasNul(name) || hasNul(value))) exact.headers = request.headers;
  const clean = Object.keys(exact).length === 0;
  return {
    path: withoutNul(request.path),
    query: withoutNul(request.query),
    httpVersion: withoutNul(request.httpVersion),
    remoteAddress: request.remoteAddress === null ? null : withoutNul(request.remoteAddress),
    headers: clean ? request.headers : request.headers.map(([name, value]) => [withoutNul(name), withoutNul(value)]),
    exactFields: clean ? null : JSON.stringify(exact),
  };
}

export function toStoredRequest(row: RequestRow): StoredRequest {
  const exact = row.exact_fields === null ? {} : (JSON.parse(row.exact_fields) as Partial<TextFields>);
  return {
    id: row.id,
    bin: row.bin,
    receivedAt: Number(row.received_at),
    method: row.method,
    path: exact.path ?? row.path,
    query: exact.query ?? row.query,
    httpVersion: exact.httpVersion ?? row.http_version,
    remoteAddress: exact.remoteAddress ?? row.remote_address,
    remotePort: row.remote_port,
    headers: exact.headers ?? row.headers,
    body: row.body,
    bodySize: Number(row.body_size),
    truncated: row.truncated,
    parserError: row.parser_error,
    forward: row.forward ? (JSON.parse(row.forward) as ForwardResult) : null,
    answer: row.answer ? (JSON.parse(row.answer) as RequestAnswer) : null,
    answerRecorded: row.answer_recorded === true,
  };
}
