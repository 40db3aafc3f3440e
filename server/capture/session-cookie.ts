import type { HeaderPair } from '../../shared/auth/types.ts';

/**
 * The headers with every `name=…` pair taken out of their Cookie headers. A browser logged in to
 * authbin sends its login cookie along when it opens a capture URL; stored, it would be shown,
 * exported and forwarded with the request. Everything else stays as sent, in place; a Cookie
 * header with nothing left goes.
 */
export function withoutCookie(headers: HeaderPair[], name: string): HeaderPair[] {
  const result: HeaderPair[] = [];
  for (const header of headers) {
    if (header[0].length !== 6 || header[0].toLowerCase() !== 'cookie') {
      result.push(header);
      continue;
    }
    const parts = header[1].split(';');
    // Named as a server reads a cookie header: up to the first "=", spaces around it dropped.
    const kept = parts.filter((part) => {
      const equals = part.indexOf('=');
      return equals === -1 || part.slice(0, equals).trim() !== name;
    });
    if (kept.length === parts.length) result.push(header);
    else if (kept.join(';').trim() !== '') result.push([header[0], kept.join(';').trim()]);
  }
  return result;
}
