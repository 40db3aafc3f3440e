import { isBinName } from '../../shared/http/bin-name.ts';

export interface CaptureTarget {
  bin: string;
  /** The path after the bin as sent, starting with `/`. */
  path: string;
  /** Raw query string without `?`. */
  query: string;
}

/**
 * Splits a raw request target such as `/b/demo/hook?x=1` into bin, path and query, keeping the
 * bytes as sent (no percent-decoding, no dot-segment removal). Undefined when it names no valid bin.
 *
 * @example parseCaptureTarget('/b/demo/hook?x=1') // { bin: 'demo', path: '/hook', query: 'x=1' }
 */
export function parseCaptureTarget(target: string): CaptureTarget | undefined {
  const queryStart = target.indexOf('?');
  const pathname = queryStart === -1 ? target : target.slice(0, queryStart);
  const query = queryStart === -1 ? '' : target.slice(queryStart + 1);
  if (!pathname.startsWith('/b/')) return undefined;
  const binEnd = pathname.indexOf('/', 3);
  const bin = binEnd === -1 ? pathname.slice(3) : pathname.slice(3, binEnd);
  if (!isBinName(bin)) return undefined;
  return { bin, path: binEnd === -1 ? '/' : pathname.slice(binEnd), query };
}
