import { parseRawHttpRequest } from '../../shared/auth/index.ts';
import type { HeaderPair } from '../../shared/auth/types.ts';

export interface DecodeInput {
  headers: HeaderPair[];
  url?: string;
  body?: string;
  contentType?: string;
}

const requestLine = /^[A-Za-z]+ \S+( HTTP\/\d(\.\d)?)?\s*$/;
const headerLine = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*)$/;

/**
 * Reads what was given to `authbin decode`: a bare Authorization value (kept exactly, spaces and
 * all, so they can be reported), header lines such as `Authorization: Basic …`, or a whole raw
 * HTTP request.
 */
export function readDecodeInput(text: string): DecodeInput {
  const lines = text.split(/\r?\n/);
  const first = lines[0] ?? '';
  if (requestLine.test(first) && lines.length > 1) {
    const request = parseRawHttpRequest(text);
    const contentType = request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
    return { headers: request.headers, url: request.url, body: request.body, ...(contentType !== undefined && { contentType }) };
  }
  const matches = lines.filter((line) => line.trim() !== '').map((line) => headerLine.exec(line));
  // "Basic: …" also looks like a header line; only a header named like Authorization makes this a header list.
  const named = matches.some((m) => m?.[1]?.toLowerCase().includes('auth'));
  if (matches.length > 0 && named && matches.every((m) => m !== null)) {
    return { headers: matches.map((m) => [m?.[1] ?? '', (m?.[2] ?? '').replace(/[ \t]+$/, '')]) };
  }
  return { headers: [['Authorization', text]] };
}
