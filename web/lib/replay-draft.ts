import type { RequestDetail } from '../../shared/api.ts';
import type { ReplayInput } from '../../shared/api.ts';
import { isToken } from '../../shared/http/header-rules.ts';
import { httpUrlError } from './http-url.ts';

/** One editable header row; `key` keeps a row's inputs in place while others are added or removed. */
export interface HeaderRow {
  key: number;
  name: string;
  value: string;
}

/** The replay editor's state: the stored request as a starting point, with the user's edits. */
export interface ReplayDraft {
  method: string;
  /** Empty until the user gives one: replaying to the capture URL would only capture it again. */
  url: string;
  headers: HeaderRow[];
  /** Text bodies can be edited; binary ones are sent unchanged. */
  body: { kind: 'text'; text: string; original: string } | { kind: 'binary'; size: number };
}

/** Set per connection or computed from the body by whoever sends the request, never copied. */
export const LEFT_OUT_HEADERS = ['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'expect', 'upgrade', 'te', 'trailer', 'proxy-connection'];

let nextKey = 1;

export function headerRow(name = '', value = ''): HeaderRow {
  return { key: nextKey++, name, value };
}

/** The editor prefilled from a stored request: same method, headers in their order (minus per-connection ones), same body. */
export function draftFromRequest(request: Pick<RequestDetail, 'method' | 'headers' | 'body'>): ReplayDraft {
  return {
    method: request.method,
    url: '',
    headers: request.headers.filter(([name]) => !LEFT_OUT_HEADERS.includes(name.toLowerCase())).map(([name, value]) => headerRow(name, value)),
    body: request.body.text !== undefined ? { kind: 'text', text: request.body.text, original: request.body.text } : { kind: 'binary', size: request.body.size },
  };
}

/**
 * The rows with `header` set: the first row of that name (any case) takes the value, later ones are dropped
 * (two Authorization headers are a mistake of their own); appended when there was none.
 * @example withHeader(rows, { name: 'Authorization', value: 'Basic …' })
 */
export function withHeader(rows: readonly HeaderRow[], header: { name: string; value: string }): HeaderRow[] {
  const lower = header.name.toLowerCase();
  const index = rows.findIndex((row) => row.name.trim().toLowerCase() === lower);
  if (index === -1) return [...rows, headerRow(header.name, header.value)];
  return rows.flatMap((row, i) => (i === index ? [{ ...row, value: header.value }] : row.name.trim().toLowerCase() === lower ? [] : [row]));
}

/**
 * What `POST /api/requests/{id}/replay` takes for the draft, or what is wrong with it. An unedited body is left
 * out, so the server sends the stored bytes exactly.
 */
export function replayInput(draft: ReplayDraft): { input: ReplayInput } | { error: string } {
  const url = draft.url.trim();
  if (url === '') return { error: 'Give the URL to send the request to, such as http://localhost:3000/webhook.' };
  const urlError = httpUrlError(url);
  if (urlError) return { error: urlError };
  const method = draft.method.trim();
  if (!isToken(method)) return { error: 'The method must be a single word such as POST.' };
  const headers: [string, string][] = [];
  for (const row of draft.headers) {
    const name = row.name.trim();
    if (name === '' && row.value === '') continue;
    if (!isToken(name)) return { error: `"${name}" is not a valid header name (letters, digits and -, no spaces or colons).` };
    if (/[\r\n\0]/.test(row.value)) return { error: `The value of ${name} has a line break, which a header cannot hold.` };
    headers.push([name, row.value]);
  }
  const edited = draft.body.kind === 'text' && draft.body.text !== draft.body.original;
  return { input: { url, method, headers, ...(edited && draft.body.kind === 'text' && { body: { text: draft.body.text } }) } };
}
