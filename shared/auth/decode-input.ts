import { isToken, readHeaderLine } from '../http/header-rules.ts';
import { knownScheme } from './header-value.ts';
import { parseRawHttpRequest, readHeaderLines } from './raw-request.ts';
import type { HeaderPair } from './types.ts';

/** What was given to decode (the web page's box, `authbin decode`), as the analysis takes it. */
export interface DecodeInput {
  /** `request` for a whole raw HTTP request, `headers` for header lines, `value` for a bare Authorization value. */
  mode: 'request' | 'headers' | 'value';
  headers: HeaderPair[];
  url?: string;
  body?: string;
  contentType?: string;
}

/**
 * `POST /path HTTP/1.1`; without the version only an upper-case method and a path or URL, so that a
 * value wrapped over lines ("Basic amRv…" then the rest of the base64) is not taken for a request.
 */
function isRequestLine(line: string): boolean {
  const [method = '', target = '', version, ...more] = line.replace(/[ \t]+$/, '').split(' ');
  if (more.length > 0 || !isToken(method) || target === '') return false;
  if (version !== undefined) return /^HTTP\/\d(\.\d)?$/.test(version);
  return /^[A-Z]+$/.test(method) && /^(\/|https?:\/\/)/i.test(target);
}

/**
 * Reads text to decode: a raw HTTP request (request line first), `Name: value` header lines, or else
 * a bare Authorization value such as `Basic bWU6cHc=`. Read as a server would: the line breaks,
 * spaces and tabs around the text or around a header value are not part of it; every other
 * character is kept for the analysis to name (a line break inside, a no-break space). A line that
 * is not `Name: value` continues the header above it (a value wrapped by `base64`). `Basic: bWU6cHc=`
 * is a value with a stray colon, not a header named "Basic".
 *
 * @example
 * readDecodeInput('Basic bWU6cHc=\n'); // { mode: 'value', headers: [['Authorization', 'Basic bWU6cHc=']] }
 * readDecodeInput('X-Api-Key: k1'); // { mode: 'headers', headers: [['X-Api-Key', 'k1']] }
 */
export function readDecodeInput(text: string): DecodeInput {
  const trimmed = text.replace(/^[\r\n]+|[\r\n]+$/g, '');
  const lines = trimmed.split(/\r?\n/);
  if (isRequestLine(lines[0]!)) {
    const request = parseRawHttpRequest(trimmed);
    const contentType = request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
    return { mode: 'request', headers: request.headers, url: request.url, body: request.body, ...(contentType !== undefined && { contentType }) };
  }
  const filled = lines.filter((line) => line.trim() !== '');
  const first = readHeaderLine(filled[0] ?? '');
  if (first && knownScheme(first[0]) === undefined) return { mode: 'headers', headers: readHeaderLines(filled) };
  const value = trimmed.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  return { mode: 'value', headers: value === '' ? [] : [['Authorization', value]] };
}
