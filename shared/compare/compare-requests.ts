import type { RequestDetail } from '../api.ts';
import { isAuthorizationName } from '../auth/header-name.ts';
import { alignPairs } from './aligned.ts';
import { compareAuthorization } from './authorization.ts';
import { compareBodies } from './body.ts';
import { maskedCredentials } from './masked.ts';
import { refusalSentences, refusedBodies, unreadBody } from './refusal.ts';
import { compareSignatures } from './signatures.ts';
import type { BodyComparison, NamedDifference, RequestComparison } from './types.ts';

/** What of a stored request the comparison reads. */
export type ComparedRequest = Pick<RequestDetail, 'method' | 'path' | 'query' | 'url' | 'receivedAt' | 'headers' | 'body' | 'refusal'>;

export interface CompareOptions {
  /** Header name case and order count as differences. */
  strict?: boolean;
  /** Clock for JWT expiry, in ms since the epoch. */
  now?: number;
}

function queryPairs(query: string): [string, string][] {
  return [...new URLSearchParams(query)];
}

function contentType(request: ComparedRequest): string | null {
  return request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null;
}

function changed<Value>(entries: readonly NamedDifference<Value>[]): NamedDifference<Value>[] {
  return entries.filter((e) => e.change !== 'same');
}

// The credentials are compared by meaning in `authorization`; the header list only shows that they differ.
function isCredentialHeader(name: string): boolean {
  return isAuthorizationName(name) || name.toLowerCase() === 'proxy-authorization';
}

function masked(entry: NamedDifference): NamedDifference {
  return isCredentialHeader(entry.name) ? { ...entry, a: entry.a.map(maskedCredentials), b: entry.b.map(maskedCredentials) } : entry;
}

function bodySentence(body: BodyComparison): string | undefined {
  // The refusal's own sentence says it: the parser stopped before any body.
  if (body.sameBytes || body.kind === 'refused') return undefined;
  if (body.kind === 'json') {
    return body.same
      ? 'The bodies are the same JSON, written with different bytes (a signature over the body tells them apart)'
      : `The JSON bodies differ at ${body.changes.length} path${body.changes.length === 1 ? '' : 's'}: ${body.changes.slice(0, 3).map((c) => c.path).join(', ')}${body.changes.length > 3 ? '…' : ''}`;
  }
  if (body.kind === 'form') {
    const fields = changed(body.changes);
    return fields.length === 0 ? 'The form bodies have the same fields, written in another order or encoding' : `Form fields differ: ${fields.map((f) => f.name).join(', ')}`;
  }
  if (body.kind === 'multipart') {
    const fields = changed(body.changes);
    return fields.length === 0
      ? 'The multipart bodies carry the same fields and files, framed differently (boundary, order or line ends)'
      : `Multipart fields differ: ${fields.map((f) => f.name || '(no name)').join(', ')}`;
  }
  if (body.kind === 'text') return `The bodies differ in ${body.changes.filter((l) => l.op !== 'same').length} line(s)`;
  return `The bodies differ from byte ${(body.changes[0]?.offset ?? 0) + 1} (${body.sizes[0]} and ${body.sizes[1]} bytes)`;
}

/**
 * What differs between two stored requests, part by part: the Authorization header by meaning,
 * signatures by the input that differs, headers aligned by name (case and order noted apart),
 * method, path, query parameters per key, and the body (JSON by path, forms and multipart by field,
 * text by line, otherwise bytes). A request the HTTP parser refused is compared by its head as read
 * from the bytes that arrived, and said to be refused first; its body, never read, is not compared
 * (its stored bytes are the head itself). Comparing a request with itself finds nothing; swapping A
 * and B mirrors the result. Authorization values come out masked: the result can be shown or logged.
 *
 * @example
 * (await compareRequests(a, b)).summary[0]; // "Same credentials, but B's API token ends with a line break"
 */
export async function compareRequests(a: ComparedRequest, b: ComparedRequest, options: CompareOptions = {}): Promise<RequestComparison> {
  const strict = options.strict ?? false;
  const refused = (['a', 'b'] as const).filter((side) => ({ a, b })[side].refusal !== null);
  const refusal = { same: a.refusal?.code === b.refusal?.code && a.refusal?.explanation === b.refusal?.explanation, a: a.refusal, b: b.refusal };
  const authorization = compareAuthorization(a.headers, b.headers, options.now ?? Date.now());
  const aligned = alignPairs(a.headers, b.headers, (name) => name.toLowerCase());
  const headerNotes = [
    ...aligned.caseDifferences.map((d) => `Header name case differs: A sends "${d.a}", B sends "${d.b}"`),
    ...(aligned.reordered ? ['The headers both send come in a different order'] : []),
  ];
  const queryAligned = alignPairs(queryPairs(a.query), queryPairs(b.query), (name) => name);
  const query = queryAligned.entries;
  const body = refused.length > 0 ? refusedBodies(refused) : await compareBodies(a.body, b.body, [contentType(a), contentType(b)]);
  const signed = (request: ComparedRequest) => (request.refusal ? { ...request, body: unreadBody } : request);
  const signatures = compareSignatures(signed(a), signed(b), { sameJson: body.kind === 'json' && body.same });
  const method = { same: a.method === b.method, a: a.method, b: b.method };
  const path = { same: a.path === b.path, a: a.path, b: b.path };
  const headerChanges = changed(aligned.entries).filter((e) => !isAuthorizationName(e.name));
  const queryChanges = changed(query);
  const summary = [...refusalSentences(refusal), ...authorization.summary, ...signatures.summary];
  if (!method.same) summary.push(`Different methods: A is ${a.method}, B is ${b.method}`);
  if (!path.same) summary.push(`Different paths: A calls ${a.path}, B calls ${b.path}`);
  if (queryChanges.length > 0) summary.push(`Query parameters differ: ${queryChanges.map((e) => e.name).join(', ')}`);
  if (headerChanges.length > 0) summary.push(`Headers differ: ${headerChanges.map((e) => `${e.name} (${e.change})`).join(', ')}`);
  if (strict) summary.push(...headerNotes);
  const bodyNote = bodySentence(body);
  if (bodyNote) summary.push(bodyNote);
  const same =
    refusal.same &&
    authorization.same && method.same && path.same && headerChanges.length === 0 && queryChanges.length === 0 && body.sameBytes && (!strict || (headerNotes.length === 0 && !queryAligned.reordered));
  return { same, summary, refusal, method, path, authorization, signatures, headers: aligned.entries.map(masked), headerNotes, query, body };
}
