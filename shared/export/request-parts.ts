/**
 * What every "copy as" snippet needs of a stored request: where to send it, which headers to
 * repeat, and its body as text or bytes.
 */
import type { RequestDetail } from '../api.ts';

export type HeaderPair = [string, string];

/** Where a snippet sends the request. */
export interface SnippetTarget {
  /** Stands for `/b/{bin}`: the request's sub-path and query are appended to it. */
  url: string;
  /** The authbin address that serves a binary body's download; read off `url` when it ends in `/b/{bin}`. */
  origin?: string;
}

/** The parts of a stored request that snippets read. */
export type ExportableRequest = Pick<RequestDetail, 'id' | 'bin' | 'method' | 'path' | 'query' | 'headers' | 'body'>;

/**
 * Connection-level headers (RFC 9110 §7.6.1) and `Host`: they describe one hop, not the request,
 * so a tool sending it again sets its own.
 */
const perHopHeaders = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'expect']);

/**
 * True for the headers no snippet repeats (Host, Connection, Keep-Alive, TE, Trailer, Upgrade, Expect, Proxy-*).
 *
 * @example
 * isPerHopHeader('Proxy-Authorization') // true
 * isPerHopHeader('Authorization') // false
 */
export function isPerHopHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return perHopHeaders.has(lower) || lower.startsWith('proxy-');
}

/**
 * The headers a client library should be given: all but the per-hop ones and the body framing
 * (Content-Length, Transfer-Encoding), which every library computes from the body it sends.
 *
 * @example
 * headersToRepeat({ ...detail, headers: [['Host', 'h'], ['X-Sig', 's'], ['Content-Length', '2']] }) // [['X-Sig', 's']]
 */
export function headersToRepeat(request: ExportableRequest): HeaderPair[] {
  return request.headers.filter(([name]) => !isPerHopHeader(name) && !/^(content-length|transfer-encoding)$/i.test(name));
}

/**
 * The URL to send a stored request to: `base` stands for `/b/{bin}`, so the request's sub-path and
 * query are appended to it, byte for byte (no normalising, no re-encoding).
 *
 * @example
 * targetUrl('http://localhost:3000/webhook', { path: '/zendesk', query: 'x=1' })
 * // 'http://localhost:3000/webhook/zendesk?x=1'
 * targetUrl('https://authbin.example/b/demo', { path: '/', query: '' }) // 'https://authbin.example/b/demo'
 */
export function targetUrl(base: string, request: { path: string; query: string }): string {
  const withoutFragment = base.split('#', 1)[0]!;
  const queryStart = withoutFragment.indexOf('?');
  const basePath = queryStart === -1 ? withoutFragment : withoutFragment.slice(0, queryStart);
  const baseQuery = queryStart === -1 ? '' : withoutFragment.slice(queryStart + 1);
  let path = basePath;
  if (request.path !== '/' && request.path !== '') {
    path = basePath.endsWith('/') ? basePath + request.path.replace(/^\//, '') : basePath + request.path;
  }
  const query = [baseQuery, request.query].filter((part) => part !== '').join('&');
  return query === '' ? path : `${path}?${query}`;
}

/** Bodies above this are not pasted into a command: it would be unwieldy, so they go through a file. */
export const inlineBodyLimit = 64 * 1024;

/**
 * How a snippet sends the body: not at all, as text written into the code, as base64 bytes written
 * into the code, or from a file the user downloads first.
 */
export type BodyPlan =
  | { kind: 'none' }
  | { kind: 'text'; text: string }
  | { kind: 'base64'; base64: string }
  | { kind: 'file'; fileName: string; size: number };

/**
 * Decides how a body travels; text bodies with a NUL byte go as bytes, since no shell string can hold NUL.
 *
 * @example
 * bodyPlan(jsonRequest, { allowBase64: false }) // { kind: 'text', text: '{"a":1}' }
 * bodyPlan(pngRequest, { allowBase64: false }) // { kind: 'file', fileName: 'request-12.bin', size: 5120 }
 */
export function bodyPlan(request: ExportableRequest, { allowBase64 }: { allowBase64: boolean }): BodyPlan {
  const stored = request.body;
  const size = storedSize(request);
  if (size === 0) return { kind: 'none' };
  const file = { kind: 'file', fileName: `request-${request.id}.bin`, size } as const;
  if (size > inlineBodyLimit) return file;
  if (stored.text !== undefined && !stored.text.includes('\0')) return { kind: 'text', text: stored.text };
  return allowBase64 ? { kind: 'base64', base64: stored.base64 } : file;
}

/**
 * The authbin address that serves the body download: given, or read off a `…/b/{bin}` base URL.
 *
 * @example
 * authbinOrigin({ ...detail, bin: 'demo' }, 'https://authbin.example/b/demo') // 'https://authbin.example'
 */
export function authbinOrigin(request: ExportableRequest, url: string, origin?: string): string | undefined {
  if (origin !== undefined) return origin.replace(/\/+$/, '');
  const suffix = `/b/${request.bin}`;
  const path = url.split(/[?#]/, 1)[0]!.replace(/\/+$/, '');
  return path.endsWith(suffix) ? path.slice(0, -suffix.length) : undefined;
}

/** Comment lines (without the comment marker) telling how to save a body that travels as a file. */
export function downloadHint(request: ExportableRequest, plan: Extract<BodyPlan, { kind: 'file' }>, origin: string | undefined): string[] {
  const source = `${origin ?? '$AUTHBIN_URL'}/api/requests/${request.id}/body`;
  return [
    `The body (${plan.size} bytes) is read from ${plan.fileName}: save it first with`,
    `  curl -o ${plan.fileName} "${source}"`,
    `(add -H "Authorization: Bearer $AUTHBIN_TOKEN" when your authbin has a token)`,
  ];
}

/** A warning line for snippets of a request whose body was cut short when it was captured. */
export function truncationWarning(request: ExportableRequest): string | undefined {
  return request.body.truncated
    ? `The body was truncated when captured: this sends only its first ${storedSize(request)} of ${request.body.size} bytes.`
    : undefined;
}

/** Bytes stored, read off the base64 length without decoding. */
export function storedSize(request: ExportableRequest): number {
  const { base64 } = request.body;
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}
