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

const headerLine = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:[ \t]*(.*?)[ \t]*$/;

/**
 * Reads a pasted raw HTTP request (`curl -v` output, a proxy log, a packet capture). A line that
 * is not `Name: value` continues the header before it, line break kept, so a base64 value wrapped
 * over two lines shows as such. Never throws: unreadable parts come back empty.
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
  const headers: HeaderPair[] = [];
  for (const line of lines) {
    const match = headerLine.exec(line);
    const previous = headers.at(-1);
    if (match) headers.push([match[1] ?? '', match[2] ?? '']);
    else if (previous) previous[1] = `${previous[1]}\n${line.trimEnd()}`;
  }
  return { method: method.toUpperCase(), url, headers, body };
}
