/**
 * The URL a captured request was sent to, as its sender addressed it: what senders that sign the
 * URL (Twilio) sign, so the server's analysis and the browser's verification must build it alike.
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

function firstValue(headers: readonly HeaderPair[], name: string): string | undefined {
  return headers.find(([n]) => n.toLowerCase() === name)?.[1];
}

/**
 * `{proto}://{Host}/b/{bin}{path}?{query}`: https only when `X-Forwarded-Proto` starts with https
 * (a proxy in front of authbin terminated TLS), `localhost` when the request had no Host header.
 * @example
 * requestUrl({ bin: 'abc', path: '/hook', query: 'x=1', headers: [['Host', 'bin.example'], ['X-Forwarded-Proto', 'https']] })
 * // 'https://bin.example/b/abc/hook?x=1'
 */
export function requestUrl({ bin, path, query, headers }: CapturedTarget): string {
  const host = firstValue(headers, 'host') ?? 'localhost';
  const proto = firstValue(headers, 'x-forwarded-proto')?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  return `${proto}://${host}/b/${bin}${path === '/' ? '' : path}${query ? `?${query}` : ''}`;
}
