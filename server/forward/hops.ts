/**
 * A hop count carried by every relay, so that chains no loop check can see (two instances
 * relaying to each other, a proxy in between) end after a few rounds.
 */
import type { HeaderPair } from '../replay/send-request.ts';

export const hopsHeader = 'Authbin-Forward-Hops';

/** A capture that has been relayed this many times already is stored but not relayed again. */
export const maxForwardHops = 5;

const isHopsHeader = ([name]: HeaderPair) => name.toLowerCase() === 'authbin-forward-hops';

/**
 * How many times a captured request has been relayed: the largest count among its hop headers
 * (a proxy may have joined several into one, comma-separated), 0 when it has none.
 *
 * @example
 * forwardHops([['Authbin-Forward-Hops', '2']]) // 2
 * forwardHops([['Content-Type', 'text/plain']]) // 0
 */
export function forwardHops(headers: HeaderPair[]): number {
  const counts = headers
    .filter(isHopsHeader)
    .flatMap(([, value]) => value.split(','))
    .map((text) => text.trim())
    .filter((text) => /^\d{1,6}$/.test(text))
    .map(Number);
  return Math.max(0, ...counts);
}

/** The headers to relay: the request's own, with its hop count replaced by `hops`. */
export function withHops(headers: HeaderPair[], hops: number): HeaderPair[] {
  return [...headers.filter((pair) => !isHopsHeader(pair)), [hopsHeader, String(hops)]];
}
