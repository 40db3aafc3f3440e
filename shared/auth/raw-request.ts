import { readHeaderLine } from '../http/header-rules.ts';
import type { HeaderPair } from './types.ts';

/** A raw HTTP/1.x request as pasted: request line, header lines, blank line, body. */
export interface RawHttpRequest {
  method: string;
  /** The request target as written: a path with query, or a full URL. */
  url: string;
  /** In the order written; names as written; values without the spaces around them. */
  headers: HeaderPair[];
  body: string;
}

/**
 * Reads a pasted raw HTTP request (`curl -v` output, a proxy log, a packet capture); its header
 * lines as `readHeaderLines` reads them. Never throws: unreadable parts come back empty.
 *
 * @example
 * parseRawHttpRequest('GET /api/v2/users/me.json HTTP/1.1\nAuthorization: Basic bWU6cHc=\n\n').headers;
 * // [['Authorization', 'Basic bWU6cHc=']]
 */
export function parseRawHttpRequest(text: string): RawHttpRequest {
  const normalized = text.replace(/^[\r\n]+/, '');
  const split = /\r?\n\r?\n/.exec(normalized);
  const head = split ? normalized.slice(0, split.index) : normalized;
  const body = split ? normalized.slice(split.index + split[0].length) : '';
  const [requestLine = '', ...lines] = head.split(/\r?\n/);
  const [method = '', url = ''] = requestLine.trim().split(/\s+/);
  return { method: method.toUpperCase(), url, headers: readHeaderLines(lines), body };
}

/**
 * Reads pasted header lines in order. A line that is not `Name: value` continues the header before
 * it, line break kept, so a base64 value wrapped over two lines shows as such; one before any
 * header is dropped.
 *
 * @example
 * readHeaderLines(['Authorization: Basic bWU6', 'cHc=']); // [['Authorization', 'Basic bWU6\ncHc=']]
 */
export function readHeaderLines(lines: readonly string[]): HeaderPair[] {
  const headers: HeaderPair[] = [];
  for (const line of lines) {
    const header = readHeaderLine(line);
    const previous = headers.at(-1);
    if (header) headers.push(header);
    else if (previous) previous[1] = `${previous[1]}\n${line.trimEnd()}`;
  }
  return headers;
}
