import { describe, expect, it } from 'vitest';
import { readBinResponse } from '../../../shared/http/bin-response-rules.ts';
import { basicChallengePreset, flakyPreset, retryPreset, zendeskApiPreset, type ZendeskCredentials } from '../../../shared/rules/presets.ts';

describe('rule presets', () => {
  it.each<ZendeskCredentials>([
    { kind: 'api-token', email: 'me@example.com', token: 'tok' },
    { kind: 'password', email: 'me@example.com', password: 'pw' },
    { kind: 'oauth', token: 'oauth-tok' },
  ])('Zendesk API ($kind): 401 as Zendesk words it unless the credentials match, then a users/me user', (credentials) => {
    const [refuse, accept] = zendeskApiPreset(credentials);
    expect(refuse!.when).toEqual([{ credentials, not: true }]);
    expect(refuse!.respond.status).toBe(401);
    expect(JSON.parse(refuse!.respond.body!)).toEqual({ error: "Couldn't authenticate you" });
    expect(refuse!.respond.headers).toMatchObject({ 'Content-Type': 'application/json; charset=utf-8', 'X-Authbin-Reason': '{{reason}}' });
    expect(accept!.when).toEqual([]);
    expect(accept!.respond.status).toBe(200);
    const { user } = JSON.parse(accept!.respond.body!) as { user: { email: string | null } };
    expect(user.email).toBe(credentials.kind === 'oauth' ? null : credentials.email);
    // Each answer is one a bin may give: the same status, header and body rules.
    for (const rule of [refuse!, accept!]) expect(readBinResponse(rule.respond)).not.toHaveProperty('problem');
  });

  it('Basic challenge, Retry and Flaky', () => {
    const [challenge] = basicChallengePreset({ kind: 'password', email: 'me@example.com', password: 'pw' });
    expect(challenge!.respond).toMatchObject({ status: 401, headers: { 'WWW-Authenticate': 'Basic realm="authbin"' } });
    expect(challenge!.when[0]).toMatchObject({ not: true });
    expect(retryPreset({ times: 2, retryAfter: 7 })).toMatchObject([{ when: [], times: 2, respond: { status: 429, headers: { 'Retry-After': '7' } } }]);
    expect(flakyPreset({ times: 3 })).toMatchObject([{ when: [], times: 3, respond: { status: 503 } }]);
  });
});
