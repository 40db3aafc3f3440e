/** Strings that break a query built by pasting text into SQL (or into an FTS5 MATCH expression). */
export const sqlPayloads = [
  "'",
  '"',
  "' OR '1'='1",
  '1 OR 1=1',
  '1; DROP TABLE requests; --',
  '1) UNION SELECT id, headers FROM requests --',
  "x' AND sqlite_version() > '",
  '%',
  '_',
  '\\',
  '*',
  '--',
  '/*',
  '0x10',
  '1e3',
  '-1',
  '1.5',
  ' 1',
  '99999999999999999999',
  'NEAR(a b)',
  'a OR b',
  '^a',
  'body:x',
  '(',
  'a\u0000b',
  'é',
];

/** How an API route must treat a hostile value: refuse it with a 4xx, or (where it is just data) anything but a 5xx. */
export type Expectation = 'refuse' | 'no-5xx';

export interface Probe {
  /** Which parameter the value went into. */
  slot: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless a string. */
  body?: unknown;
  expect: Expectation;
}

const binPattern = /^[A-Za-z0-9_-]{1,64}$/;
const idPattern = /^[1-9]\d{0,17}$/;

/**
 * Every place the API takes a value from a client, with `value` in it. `bin` is an existing bin
 * and `id` an existing request, so that validation past the first parameter is reached.
 */
export function probesFor(value: string, bin: string, id: string): Probe[] {
  const v = encodeURIComponent(value);
  const asBin: Expectation = binPattern.test(value) ? 'no-5xx' : 'refuse';
  const asId: Expectation = idPattern.test(value) ? 'no-5xx' : 'refuse';
  const json = (slot: string, method: Probe['method'], path: string, body: unknown, expect: Expectation): Probe => ({ slot, method, path, body, expect });
  const probes: Probe[] = [
    { slot: 'GET bins/{bin}', method: 'GET', path: `/api/bins/${v}`, expect: asBin },
    { slot: 'DELETE bins/{bin}', method: 'DELETE', path: `/api/bins/${v}`, expect: asBin },
    json('PATCH bins/{bin}', 'PATCH', `/api/bins/${v}`, { response: null }, asBin),
    { slot: 'GET bins/{bin}/requests', method: 'GET', path: `/api/bins/${v}/requests`, expect: asBin },
    { slot: 'DELETE bins/{bin}/requests', method: 'DELETE', path: `/api/bins/${v}/requests`, expect: asBin },
    { slot: 'bins/{bin}/events', method: 'GET', path: `/api/bins/${v}/events?lastEventId=x`, expect: 'refuse' },
    { slot: 'bins/{bin}/requests/latest', method: 'GET', path: `/api/bins/${v}/requests/latest`, expect: asBin },
    { slot: 'bins/{bin}/requests/next', method: 'GET', path: `/api/bins/${v}/requests/next?timeout=0`, expect: asBin },
    { slot: 'bins/{bin}/export', method: 'GET', path: `/api/bins/${v}/export`, expect: asBin },
    { slot: 'bins/{bin}/import', method: 'POST', path: `/api/bins/${v}/import`, body: 'not an export', expect: 'refuse' },
    { slot: 'requests/{id}', method: 'GET', path: `/api/requests/${v}`, expect: asId },
    { slot: 'DELETE requests/{id}', method: 'DELETE', path: `/api/requests/${v}`, expect: asId },
    { slot: 'requests/{id}/body', method: 'GET', path: `/api/requests/${v}/body`, expect: asId },
    { slot: 'requests/{id}/raw', method: 'GET', path: `/api/requests/${v}/raw`, expect: asId },
    json('requests/{id}/verify', 'POST', `/api/requests/${v}/verify`, { secret: 's' }, asId),
    { slot: 'limit', method: 'GET', path: `/api/bins/${bin}/requests?limit=${v}`, expect: 'refuse' },
    { slot: 'before', method: 'GET', path: `/api/bins/${bin}/requests?before=${v}`, expect: 'refuse' },
    { slot: 'q', method: 'GET', path: `/api/bins/${bin}/requests?q=${v}`, expect: 'no-5xx' },
    { slot: 'method filter', method: 'GET', path: `/api/bins/${bin}/requests?method=${v}`, expect: 'no-5xx' },
    { slot: 'header filter', method: 'GET', path: `/api/bins/${bin}/requests?header=${v}`, expect: 'no-5xx' },
    { slot: 'header filter value', method: 'GET', path: `/api/bins/${bin}/requests?header=X-Tag:${v}`, expect: 'no-5xx' },
    { slot: 'since', method: 'GET', path: `/api/bins/${bin}/requests?since=${v}`, expect: 'no-5xx' },
    { slot: 'finding', method: 'GET', path: `/api/bins/${bin}/requests?finding=${v}`, expect: 'no-5xx' },
    { slot: 'signature', method: 'GET', path: `/api/bins/${bin}/requests?signature=${v}`, expect: 'no-5xx' },
    { slot: 'latest q', method: 'GET', path: `/api/bins/${bin}/requests/latest?q=${v}`, expect: 'no-5xx' },
    { slot: 'next after', method: 'GET', path: `/api/bins/${bin}/requests/next?timeout=0&after=${v}`, expect: 'refuse' },
    { slot: 'next timeout', method: 'GET', path: `/api/bins/${bin}/requests/next?after=${id}&timeout=${v}`, expect: 'no-5xx' },
    { slot: 'export format', method: 'GET', path: `/api/bins/${bin}/export?format=${v}`, expect: 'refuse' },
    { slot: 'body decoded', method: 'GET', path: `/api/requests/${id}/body?decoded=${v}`, expect: 'no-5xx' },
    json('POST bins id', 'POST', '/api/bins', { id: value }, asBin),
    json('response.status', 'POST', '/api/bins', { response: { status: value } }, 'refuse'),
    json('response.delayMs', 'POST', '/api/bins', { response: { delayMs: value } }, 'refuse'),
    json('response header name', 'POST', '/api/bins', { response: { headers: { [value]: 'v' } } }, 'no-5xx'),
    json('response header value', 'POST', '/api/bins', { response: { headers: { 'X-V': value } } }, 'no-5xx'),
    json('response.body', 'PATCH', `/api/bins/${bin}`, { response: { body: value } }, 'no-5xx'),
    json('forwardTo', 'PATCH', `/api/bins/${bin}`, { forwardTo: value }, 'refuse'),
    json('verify secret', 'POST', `/api/requests/${id}/verify`, { secret: value }, 'no-5xx'),
    json('verify scheme', 'POST', `/api/requests/${id}/verify`, { secret: 's', scheme: value }, 'refuse'),
    json('verify url', 'POST', `/api/requests/${id}/verify`, { secret: 's', url: value }, URL.canParse(value) ? 'no-5xx' : 'refuse'),
    json('analyze authorization', 'POST', '/api/analyze', { authorization: value }, 'no-5xx'),
    json('analyze headers', 'POST', '/api/analyze', { headers: [[value, value]], url: value, body: value }, 'no-5xx'),
    json('analyze expected', 'POST', '/api/analyze', { authorization: 'Basic eDp5', expected: { kind: value } }, 'refuse'),
  ];
  // A header value cannot carry NUL at all, and loses its outer whitespace on the way.
  if (!value.includes('\0')) {
    const asHeaderId: Expectation = idPattern.test(value.trim()) ? 'no-5xx' : 'refuse';
    probes.push({ slot: 'Last-Event-ID', method: 'GET', path: `/api/bins/${bin}/events`, headers: { 'Last-Event-ID': value }, expect: asHeaderId });
  }
  return probes;
}

/** An NDJSON export line whose every free-text field holds `value`, for a round trip through import. */
export function importRecord(value: string): Record<string, unknown> {
  return {
    authbin: 1,
    receivedAt: '2026-01-02T03:04:05.000Z',
    method: 'POST',
    path: `/${value}`,
    query: value,
    httpVersion: '1.1',
    remoteAddress: value,
    remotePort: 1,
    rawHeaders: [['X-Value', Buffer.from(value, 'utf8').toString('latin1')]],
    body: Buffer.from(value, 'utf8').toString('base64'),
  };
}
