import type { RawHttpRequest } from '../../shared/auth/index.ts';
import type { HeaderPair } from '../../shared/auth/types.ts';

export interface DecodeInput {
  /** `request` when a whole raw HTTP request was pasted, `headers` for header lines, `value` for a bare header value. */
  mode: 'request' | 'headers' | 'value';
  headers: HeaderPair[];
  url?: string;
  body?: string;
  contentType?: string;
}

const REQUEST_LINE = /^[A-Za-z]+ \S+( HTTP\/\d(\.\d)?)?\s*$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*)$/;

/**
 * Reads what someone pasted into the decode page: a raw HTTP request (request line first), one or more
 * "Name: value" header lines, or a bare Authorization value such as "Basic bWU6cHc=".
 * The outer whitespace of a pasted value is dropped, as an HTTP server would; inner whitespace is kept.
 */
export function readDecodeInput(text: string, parseRequest: (text: string) => RawHttpRequest): DecodeInput {
  const trimmed = text.replace(/^[\r\n]+|[\r\n]+$/g, '');
  const lines = trimmed.split(/\r?\n/);
  const first = lines[0] ?? '';
  if (REQUEST_LINE.test(first) && lines.length > 1) {
    const request = parseRequest(trimmed);
    const contentType = request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
    return { mode: 'request', headers: request.headers, url: request.url, body: request.body, ...(contentType ? { contentType } : {}) };
  }
  const headerLines = lines.filter((line) => line.trim() !== '').map((line) => HEADER_LINE.exec(line));
  if (headerLines.length > 0 && headerLines.every((match) => match !== null)) {
    return { mode: 'headers', headers: headerLines.map((m) => [m![1] as string, (m![2] as string).trim()]) };
  }
  return { mode: 'value', headers: trimmed.trim() === '' ? [] : [['Authorization', trimmed.trim()]] };
}
