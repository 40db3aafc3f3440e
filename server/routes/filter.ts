import type { Context } from 'hono';
import { isToken } from '../../shared/http/header-rules.ts';
import { ApiFailure } from '../errors.ts';
import type { RequestFilter } from '../store/store.ts';

const maxTextLength = 500;

function text(c: Context, name: string): string | undefined {
  const value = c.req.query(name);
  if (value === undefined || value.trim() === '') return undefined;
  if (value.length > maxTextLength) throw new ApiFailure(400, 'invalid_filter', `"${name}" is longer than ${maxTextLength} characters`);
  return value.trim();
}

/**
 * Reads the filter of a request listing from the query string:
 * `q`, `method`, `header=name:value`, `since` (ISO 8601 or ms), `finding`, `signature`.
 */
export function requestFilter(c: Context): RequestFilter {
  const filter: RequestFilter = {};
  const q = text(c, 'q');
  if (q !== undefined) filter.q = q;

  const method = text(c, 'method');
  if (method !== undefined) {
    if (!isToken(method)) throw new ApiFailure(400, 'invalid_filter', '"method" must be an HTTP method such as POST');
    filter.method = method;
  }

  const header = text(c, 'header');
  if (header !== undefined) {
    const colon = header.indexOf(':');
    const name = colon === -1 ? header : header.slice(0, colon).trim();
    if (!isToken(name)) {
      throw new ApiFailure(400, 'invalid_filter', '"header" must be a header name, or name:value, such as X-Zendesk-Webhook-Id:01F');
    }
    filter.header = { name, value: colon === -1 ? '' : header.slice(colon + 1).trim() };
  }

  const since = text(c, 'since');
  if (since !== undefined) {
    const ms = /^\d+$/.test(since) ? Number(since) : Date.parse(since);
    if (!Number.isFinite(ms)) throw new ApiFailure(400, 'invalid_filter', '"since" must be an ISO 8601 time or milliseconds since the epoch');
    filter.since = ms;
  }

  for (const name of ['finding', 'signature'] as const) {
    const value = text(c, name);
    if (value === undefined) continue;
    if (!/^[a-z0-9-]+$/i.test(value)) throw new ApiFailure(400, 'invalid_filter', `"${name}" must be a code such as ${name === 'finding' ? 'utf16' : 'zendesk'}`);
    filter[name] = value.toLowerCase();
  }
  return filter;
}
