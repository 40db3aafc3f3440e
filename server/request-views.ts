import type { Refusal, RequestDetail, RequestSummary } from '../shared/api.ts';
import { explainRefusal } from '../shared/http/refusal.ts';
import { readRefusedHead } from '../shared/http/refused-head.ts';
import { analyze } from '../shared/auth/index.ts';
import type { Analysis, HeaderPair } from '../shared/auth/types.ts';
import { summarizeAuth } from '../shared/auth-summary.ts';
import { detectSignatures } from '../shared/signatures/index.ts';
import { requestUrl, type Listener } from '../shared/signatures/request-url.ts';
import type { SignatureInput } from '../shared/signatures/types.ts';
import type { RequestAnswer } from '../shared/rules/types.ts';
import type { Config } from './config.ts';
import type { CapturedRequest, StoredRequest } from './store/store.ts';

/** Body bytes looked at for credentials (and indexed for search). */
export const analyzedBodyBytes = 64 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Node reads header bytes one char per byte (latin1). Show them as the UTF-8 text they most
 * likely were, and as those latin1 chars when they are not valid UTF-8, so no byte is hidden.
 */
export function headerText(raw: string): string {
  // Pure ASCII is the same in both readings.
  if (!/[^\x00-\x7f]/.test(raw)) return raw;
  try {
    return utf8.decode(Buffer.from(raw, 'latin1'));
  } catch {
    return raw;
  }
}

export function displayHeaders(request: Pick<CapturedRequest, 'headers'>): HeaderPair[] {
  return request.headers.map(([name, value]) => [headerText(name), headerText(value)]);
}

/** The body as text when it is valid UTF-8. */
export function bodyText(body: Uint8Array): string | undefined {
  try {
    return utf8.decode(body);
  } catch {
    return undefined;
  }
}

function headerValue(headers: HeaderPair[], name: string): string | null {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1] ?? null;
}

/** A stored request's bytes as text, read once for everything worked out from them (analysis, search, summary). */
export interface StoredText {
  headers: HeaderPair[];
  /** The body's first `analyzedBodyBytes` as text; undefined when they are not UTF-8. */
  body: string | undefined;
}

export function storedText(request: StoredRequest): StoredText {
  return { headers: displayHeaders(request), body: bodyText(request.body.subarray(0, analyzedBodyBytes)) };
}

/** The Authorization analysis of a stored request (computed when read, never on the capture path). */
export function analyzeStored(request: StoredRequest, text: StoredText = storedText(request)): Analysis {
  const { headers } = text;
  const contentType = headerValue(headers, 'content-type');
  // Credentials in a body are looked for in its first bytes only, the same ones search indexes. A
  // refused request's body is its head as received: what it holds is read as its headers already.
  const body = request.parserError ? undefined : text.body;
  return analyze({
    headers,
    // Judge JWT expiry as of arrival: that is when the receiver judged it.
    now: request.receivedAt,
    url: request.path + (request.query ? `?${request.query}` : ''),
    ...(body !== undefined && { body }),
    ...(contentType !== null && { contentType }),
  });
}

/** How this server is reached, as the URL of a request it captured depends on it. */
export function listenerOf(config: Pick<Config, 'tls' | 'trustProxy' | 'publicUrls'>): Listener {
  return { tls: config.tls !== null, trustProxy: config.trustProxy, publicUrls: config.publicUrls };
}

/**
 * What signature checks need of a stored request: its bytes as stored, the URL as it was called
 * (scheme and host as the sender addressed them), and its arrival time to judge timestamps by.
 */
export function signatureInput(request: CapturedRequest, listener: Listener, headers = displayHeaders(request)): SignatureInput {
  return {
    method: request.method,
    url: requestUrl({ bin: request.bin, path: request.path, query: request.query, headers }, listener),
    headers,
    body: request.body,
    bodyTruncated: request.truncated,
    now: request.receivedAt,
  };
}

/** What a list shows of a request beyond its columns: its Content-Type and the gist of its Authorization analysis. */
export type SummaryParts = Pick<RequestSummary, 'contentType' | 'auth'>;

/** The columns of a stored request that a list shows as they are. */
export type SummaryColumns = Pick<StoredRequest, 'id' | 'bin' | 'method' | 'path' | 'query' | 'receivedAt' | 'bodySize' | 'parserError'>;

/** The Content-Type and Authorization summary of a request (analysing it, unless given its headers as text and its analysis). */
export function summaryParts(request: StoredRequest, known?: { headers: HeaderPair[]; analysis: Analysis }): SummaryParts {
  if (known) return { contentType: headerValue(known.headers, 'content-type'), auth: summarizeAuth(known.analysis) };
  const text = storedText(request);
  return { contentType: headerValue(text.headers, 'content-type'), auth: summarizeAuth(analyzeStored(request, text)) };
}

/** A list entry from a request's columns and its summary parts, computed now or earlier. */
export function summaryOf(request: SummaryColumns, parts: SummaryParts): RequestSummary {
  return {
    id: request.id,
    bin: request.bin,
    method: request.method,
    path: request.path,
    query: request.query,
    receivedAt: new Date(request.receivedAt).toISOString(),
    size: request.bodySize,
    rejected: Boolean(request.parserError),
    contentType: parts.contentType,
    auth: parts.auth,
  };
}

export function toSummary(request: StoredRequest): RequestSummary {
  return summaryOf(request, summaryParts(request));
}

/** The API's view of a stored request; `answer` is how it was answered (see `answerOf`), as recorded when not given. */
export function toDetail(request: StoredRequest, listener: Listener, answer: RequestAnswer | null = request.answer ?? null): RequestDetail {
  const headers = displayHeaders(request);
  const text = bodyText(request.body);
  const signatures = signatureInput(request, listener, headers);
  return {
    id: request.id,
    bin: request.bin,
    method: request.method,
    path: request.path,
    query: request.query,
    url: signatures.url,
    httpVersion: request.httpVersion,
    remoteAddress: request.remoteAddress,
    remotePort: request.remotePort,
    receivedAt: new Date(request.receivedAt).toISOString(),
    headers,
    body: {
      size: request.bodySize,
      truncated: request.truncated,
      base64: Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString('base64'),
      ...(text !== undefined && { text }),
    },
    analysis: { ...analyzeStored(request, { headers, body: bodyText(request.body.subarray(0, analyzedBodyBytes)) }), signatures: detectSignatures(signatures) },
    forward: request.forward ?? null,
    answer,
    rejected: Boolean(request.parserError),
    refusal: request.parserError ? refusalOf(request.parserError, request.body) : null,
  };
}

/** Why the parser refused a request, worked out again from the bytes kept (its body). */
export function refusalOf(code: string, received: Uint8Array): Refusal {
  const head = readRefusedHead(Buffer.from(received.buffer, received.byteOffset, received.byteLength).toString('latin1'));
  return { code, explanation: explainRefusal(code, head) };
}
