/**
 * The URL a captured request was sent to, as its sender addressed it: what senders that sign the
 * URL (Twilio) sign. The server builds it and hands it to the browser with the request.
 */
import type { HeaderPair } from './types.ts';

export interface CapturedTarget {
  /** The bin the request was captured in. */
  bin: string;
  /** Path after the bin, starting with `/` (just `/` for the bin itself). */
  path: string;
  /** Raw query string, without `?`. */
  query: string;
  /** Headers as captured; `Host` and `X-Forwarded-Proto` are read from them. */
  headers: readonly HeaderPair[];
}

/** How requests reach authbin, which decides the scheme of their URL. */
export interface Listener {
  /** authbin itself serves HTTPS (`--tls-cert`). */
  tls: boolean;
  /** A reverse proxy sets `X-Forwarded-Proto` (`--trust-proxy`); otherwise any sender could. */
  trustProxy: boolean;
  /** The origins senders reach authbin at (`--public-url`): a request to one of their hosts was sent with its scheme. */
  publicUrls?: readonly string[];
}

function firstValue(headers: readonly HeaderPair[], name: string): string | undefined {
  return headers.find(([n]) => n.toLowerCase() === name)?.[1];
}

/**
 * `{scheme}://{Host}/b/{bin}{path}?{query}`: the scheme is the one `X-Forwarded-Proto` names when
 * the proxy that sets it is trusted, else the one of the `--public-url` with that host, else https
 * when authbin serves TLS itself; `localhost` when the request had no Host header.
 * @example
 * requestUrl({ bin: 'abc', path: '/hook', query: 'x=1', headers: [['Host', 'bin.example'], ['X-Forwarded-Proto', 'https']] }, { tls: false, trustProxy: true })
 * // 'https://bin.example/b/abc/hook?x=1'
 */
export function requestUrl({ bin, path, query, headers }: CapturedTarget, listener: Listener): string {
  const host = firstValue(headers, 'host') ?? 'localhost';
  const forwarded = listener.trustProxy ? firstValue(headers, 'x-forwarded-proto')?.split(',')[0]?.trim() : undefined;
  const named = listener.publicUrls?.find((url) => url.slice(url.indexOf('//') + 2).toLowerCase() === host.toLowerCase());
  const secure = forwarded !== undefined ? forwarded === 'https' : named !== undefined ? named.startsWith('https:') : listener.tls;
  return `${secure ? 'https' : 'http'}://${host}/b/${bin}${path === '/' ? '' : path}${query ? `?${query}` : ''}`;
}
