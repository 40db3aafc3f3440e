import type { RequestDetail } from '../api.ts';
import { alignPairs, type NamedDifference } from './aligned.ts';
import { compareAuthorization, type AuthorizationComparison } from './authorization.ts';
import { compareBodies, type BodyComparison } from './body.ts';

/** What of a stored request the comparison reads. */
export type ComparedRequest = Pick<RequestDetail, 'method' | 'path' | 'query' | 'headers' | 'body'>;

export interface CompareOptions {
  /** Header name case and order count as differences. */
  strict?: boolean;
  /** Clock for JWT expiry, in ms since the epoch. */
  now?: number;
}

export interface RequestComparison {
  same: boolean;
  /** Plain sentences, what matters most (the Authorization header) first. */
  summary: string[];
  method: { same: boolean; a: string; b: string };
  path: { same: boolean; a: string; b: string };
  authorization: AuthorizationComparison;
  headers: NamedDifference[];
  /** Differences of header name case and order: shown, but not changes unless `strict` (so is query order). */
  headerNotes: string[];
  query: NamedDifference[];
  body: BodyComparison;
}

function queryPairs(query: string): [string, string][] {
  return [...new URLSearchParams(query)];
}

function contentType(request: ComparedRequest): string | null {
  return request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null;
}

function changed(entries: readonly NamedDifference[]): NamedDifference[] {
  return entries.filter((e) => e.change !== 'same');
}

function bodySentence(body: BodyComparison): string | undefined {
  if (body.sameBytes) return undefined;
  if (body.kind === 'json') {
    return body.same
      ? 'The bodies are the same JSON, written with different bytes (a signature over the body tells them apart)'
      : `The JSON bodies differ at ${body.changes.length} path${body.changes.length === 1 ? '' : 's'}: ${body.changes.slice(0, 3).map((c) => c.path).join(', ')}${body.changes.length > 3 ? '…' : ''}`;
  }
  if (body.kind === 'form') {
    const fields = changed(body.fields);
    return fields.length === 0 ? 'The form bodies have the same fields, written in another order or encoding' : `Form fields differ: ${fields.map((f) => f.name).join(', ')}`;
  }
  if (body.kind === 'text') return `The bodies differ in ${body.lines.filter((l) => l.op !== 'same').length} line(s)`;
  return `The bodies differ from byte ${(body.firstDifference ?? 0) + 1} (${body.sizes[0]} and ${body.sizes[1]} bytes)`;
}

/**
 * What differs between two stored requests, part by part: the Authorization header by meaning,
 * headers aligned by name (case and order noted apart), method, path, query parameters per key, and
 * the body (JSON by path, text by line, otherwise bytes). Comparing a request with itself finds
 * nothing; swapping A and B mirrors the result.
 *
 * @example
 * compareRequests(a, b).summary[0]; // "Same credentials, but B's API token ends with a line break"
 */
export function compareRequests(a: ComparedRequest, b: ComparedRequest, options: CompareOptions = {}): RequestComparison {
  const strict = options.strict ?? false;
  const authorization = compareAuthorization(a.headers, b.headers, options.now ?? Date.now());
  const aligned = alignPairs(a.headers, b.headers, (name) => name.toLowerCase());
  const headerNotes = [
    ...aligned.caseDifferences.map((d) => `Header name case differs: A sends "${d.a}", B sends "${d.b}"`),
    ...(aligned.reordered ? ['The headers both send come in a different order'] : []),
  ];
  const queryAligned = alignPairs(queryPairs(a.query), queryPairs(b.query), (name) => name);
  const query = queryAligned.entries;
  const body = compareBodies(a.body, b.body, [contentType(a), contentType(b)]);
  const method = { same: a.method === b.method, a: a.method, b: b.method };
  const path = { same: a.path === b.path, a: a.path, b: b.path };
  const headerChanges = changed(aligned.entries).filter((e) => e.name.toLowerCase() !== 'authorization');
  const queryChanges = changed(query);
  const summary = [...authorization.summary];
  if (!method.same) summary.push(`Different methods: A is ${a.method}, B is ${b.method}`);
  if (!path.same) summary.push(`Different paths: A calls ${a.path}, B calls ${b.path}`);
  if (queryChanges.length > 0) summary.push(`Query parameters differ: ${queryChanges.map((e) => e.name).join(', ')}`);
  if (headerChanges.length > 0) summary.push(`Headers differ: ${headerChanges.map((e) => `${e.name} (${e.change})`).join(', ')}`);
  if (strict) summary.push(...headerNotes);
  const bodyNote = bodySentence(body);
  if (bodyNote) summary.push(bodyNote);
  const same =
    authorization.same && method.same && path.same && headerChanges.length === 0 && queryChanges.length === 0 && body.sameBytes && (!strict || (headerNotes.length === 0 && !queryAligned.reordered));
  return { same, summary, method, path, authorization, headers: aligned.entries, headerNotes, query, body };
}
