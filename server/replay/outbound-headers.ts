/** The headers of a request sent on to a new target: what a proxy keeps, and what it must change. */
import type { HeaderPair } from './send-request.ts';

/** RFC 9110 §7.6.1: they describe one connection, not the request. */
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Node frames a body-less request of these methods without Content-Length; others need one. */
const bodylessByDefault = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

export function isHopByHop(name: string, connectionTokens: Set<string> = new Set()): boolean {
  const lower = name.toLowerCase();
  return hopByHop.has(lower) || lower.startsWith('proxy-') || connectionTokens.has(lower);
}

/**
 * Keeps every header in order, name case and duplicates, except: hop-by-hop ones (and those the
 * Connection header names) are dropped; Host takes the target's host, in its place; and the body
 * is framed by a Content-Length of the bytes sent, where the original Content-Length or
 * Transfer-Encoding stood.
 *
 * @example
 * outboundHeaders([['Host', 'a.example'], ['Transfer-Encoding', 'chunked'], ['X-Sig', 's']], { host: 'localhost:3000', bodyLength: 5, method: 'POST' })
 * // [['Host', 'localhost:3000'], ['Content-Length', '5'], ['X-Sig', 's']]
 */
export function outboundHeaders(headers: HeaderPair[], target: { host: string; bodyLength: number; method: string }): HeaderPair[] {
  const connectionTokens = new Set(
    headers.filter(([name]) => name.toLowerCase() === 'connection').flatMap(([, value]) => value.split(',').map((token) => token.trim().toLowerCase())),
  );
  const length = String(target.bodyLength);
  const result: HeaderPair[] = [];
  let hasHost = false;
  let hasLength = false;
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === 'host') {
      if (!hasHost) result.push([name, target.host]);
      hasHost = true;
    } else if (lower === 'content-length' || lower === 'transfer-encoding') {
      if (!hasLength) result.push([lower === 'content-length' ? name : 'Content-Length', length]);
      hasLength = true;
    } else if (!isHopByHop(name, connectionTokens)) {
      result.push([name, value]);
    }
  }
  if (!hasHost) result.unshift(['Host', target.host]);
  if (!hasLength && (target.bodyLength > 0 || !bodylessByDefault.has(target.method.toUpperCase()))) result.push(['Content-Length', length]);
  return result;
}
