import type { RequestDetail } from '../../shared/api.ts';
import { shellQuote } from './shell-quote.ts';

// curl computes these itself; replaying them would conflict with the body it sends.
const SKIPPED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'expect']);

/** The capture URL a request was sent to: `${origin}/b/${bin}${path}?${query}`. */
export function requestUrl(origin: string, request: Pick<RequestDetail, 'bin' | 'path' | 'query'>): string {
  const path = request.path === '/' ? '' : request.path;
  return `${origin}/b/${request.bin}${path}${request.query ? '?' + request.query : ''}`;
}

/**
 * A curl command that sends the request again, headers in their original case and order, the body byte for byte.
 * A binary body is piped through `base64 -d`, since a shell string cannot hold every byte.
 */
export function buildCurl(request: RequestDetail, origin: string): string {
  const parts = ['curl'];
  const method = request.method.toUpperCase();
  const hasBody = request.body.size > 0;
  if (method === 'HEAD') parts.push('--head');
  else if (!(method === 'GET' && !hasBody) && !(method === 'POST' && hasBody)) parts.push('-X', shellQuote(request.method));
  parts.push(shellQuote(requestUrl(origin, request)));
  for (const [name, value] of request.headers) {
    if (!SKIPPED_HEADERS.has(name.toLowerCase())) parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  let prefix = '';
  if (hasBody) {
    if (request.body.text !== undefined && !/[\0\r]/.test(request.body.text)) {
      parts.push('--data-binary', shellQuote(request.body.text));
    } else {
      prefix = `printf '%s' ${shellQuote(request.body.base64)} | base64 -d | `;
      parts.push('--data-binary', '@-');
    }
  }
  const command = prefix + parts.join(' ');
  return request.body.truncated ? `# The body was truncated when captured: this sends only its stored part.\n${command}` : command;
}
