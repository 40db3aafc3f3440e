/**
 * One-click rules (#19), used by the rules editor's preset buttons and the command line. They build
 * ordinary rules, which the user can read and change before saving.
 */
import type { Expected } from '../auth/types.ts';
import type { Rule } from './types.ts';

/** The credentials Zendesk's API takes: email + API token, email + password, or an OAuth token. */
export type ZendeskCredentials = Extract<Expected, { kind: 'api-token' | 'password' | 'oauth' }>;

const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * Answers as Zendesk's API does: 401 `{"error":"Couldn't authenticate you"}` unless the credentials
 * match (with the reason in `X-Authbin-Reason`), then 200 with a `/api/v2/users/me.json` user.
 *
 * @example
 * zendeskApiPreset({ kind: 'api-token', email: 'me@example.com', token: 'abc…' }).map((r) => r.respond.status); // [401, 200]
 */
export function zendeskApiPreset(credentials: ZendeskCredentials): Rule[] {
  const email = credentials.kind === 'oauth' ? null : credentials.email;
  const user = { id: 35436, url: 'https://example.zendesk.com/api/v2/users/35436.json', name: email ?? 'OAuth user', email, role: 'admin', active: true, verified: true };
  return [
    {
      id: '',
      name: 'Zendesk API',
      when: [{ credentials, not: true }],
      respond: {
        status: 401,
        headers: { 'Content-Type': JSON_UTF8, 'WWW-Authenticate': 'Basic realm="Web Password"', 'X-Authbin-Reason': '{{reason}}' },
        body: '{"error":"Couldn\'t authenticate you"}',
      },
    },
    { id: '', name: 'Zendesk API: authenticated', when: [], respond: { status: 200, headers: { 'Content-Type': JSON_UTF8 }, body: JSON.stringify({ user }) } },
  ];
}

/**
 * 401 with a Basic challenge until the expected credentials arrive; then the bin's response.
 *
 * @example
 * basicChallengePreset({ kind: 'password', email: 'me@example.com', password: 'pw' })[0]!.respond.headers; // { 'WWW-Authenticate': 'Basic realm="authbin"', … }
 */
export function basicChallengePreset(credentials: Expected): Rule[] {
  return [
    {
      id: '',
      name: 'Basic challenge',
      when: [{ credentials, not: true }],
      respond: { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="authbin"', 'X-Authbin-Reason': '{{reason}}' }, body: 'Unauthorized: {{reason}}\n' },
    },
  ];
}

/**
 * 429 with `Retry-After` to the first `times` requests, then the bin's response.
 *
 * @example
 * retryPreset({ times: 2, retryAfter: 7 })[0]!.times; // 2
 */
export function retryPreset({ times, retryAfter }: { times: number; retryAfter: number }): Rule[] {
  return [{ id: '', name: `Retry 429 (${times}×)`, when: [], respond: { status: 429, headers: { 'Retry-After': String(retryAfter) }, body: 'Too many requests\n' }, times }];
}

/**
 * 503 to the first `times` requests, then the bin's response.
 *
 * @example
 * flakyPreset({ times: 3 })[0]!.respond.status; // 503
 */
export function flakyPreset({ times }: { times: number }): Rule[] {
  return [{ id: '', name: `Flaky 503 (${times}×)`, when: [], respond: { status: 503, body: 'Service unavailable\n' }, times }];
}
