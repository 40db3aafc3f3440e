import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RulesResponse } from '../../../shared/rules/types.ts';
import { basicChallengePreset, flakyPreset, zendeskApiPreset } from '../../../shared/rules/presets.ts';
import { ZENDESK_TEST_SECRET } from '../../../shared/signatures/index.ts';
import { fetchDetail, startTestApp, testEngines, type TestApp } from '../../helpers/app.ts';
import { foundInDatabase } from '../../helpers/stored-text.ts';

const run = promisify(execFile);
const email = 'me@example.com';
const token = 'Zk3vQ9pLx2mN7wRt5yBc';
const basic = (text: string, encoding: BufferEncoding = 'utf8') => `Basic ${Buffer.from(text, encoding).toString('base64')}`;
// The right credentials, base64 of UTF-8 with its '=' padding, as a header should carry them.
const b64 = Buffer.from(`${email}/token:${token}`).toString('base64');

describe.each(testEngines())('rules answering captures on $name (real HTTP)', (engine) => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp(engine, engine.name === 'postgres' ? { AUTHBIN_SECRET_KEY: 'a-key-every-instance-shares-0123456789' } : {});
    base = await t.listen();
    const put = async (bin: string, rules: unknown) => {
      await fetch(`${base}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: bin }) });
      const answer = await fetch(`${base}/api/bins/${bin}/rules`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
      expect(answer.status).toBe(200);
      return ((await answer.json()) as RulesResponse).rules;
    };
    await put('zendesk', zendeskApiPreset({ kind: 'api-token', email, token }));
    await put('flaky', flakyPreset({ times: 3 }));
    await put('sequence', [
      { name: 'down', when: [{ method: 'GET' }], respond: { status: 500 } },
      { name: 'unavailable', when: [], respond: { status: 503 }, times: 2 },
      { name: 'busy', when: [{ method: 'POST' }], respond: { status: 429, body: '{{rule.name}} {{request.id}}' }, times: 3 },
    ]);
  });
  afterAll(() => t.close());

  it('answers curl with wrong credentials 401 naming the mistake, and the right ones 200', async () => {
    const wrong = await run('curl', ['-s', '-i', '-u', `${email}/token:WRONG`, `${base}/b/zendesk/api/v2/users/me.json`]);
    expect(wrong.stdout).toMatch(/^HTTP\/1\.1 401 /);
    expect(wrong.stdout).toMatch(/^X-Authbin-Reason: the API token differs\r$/im);
    expect(wrong.stdout).toMatch(/^WWW-Authenticate: Basic realm="Web Password"\r$/im);
    expect(wrong.stdout).toContain('{"error":"Couldn\'t authenticate you"}');
    const right = await run('curl', ['-s', '-i', '-u', `${email}/token:${token}`, `${base}/b/zendesk/api/v2/users/me.json`]);
    expect(right.stdout).toMatch(/^HTTP\/1\.1 200 /);
    expect(right.stdout).toContain('"email":"me@example.com"');
  });

  it('answers Python requests the same way', async () => {
    const script = `import requests, sys
for secret in ("WRONG", "${token}"):
    r = requests.get(sys.argv[1], auth=("${email}/token", secret))
    print(r.status_code, r.headers.get("X-Authbin-Reason"))`;
    const { stdout } = await run('python3', ['-c', script, `${base}/b/zendesk/hook`]);
    expect(stdout.trim().split('\n')).toEqual(['401 the API token differs', '200 None']);
  });

  it.each([
    ['a trailing line break', basic(`${email}/token:${token}\n`), 'the API token matches once the trailing line break is removed'],
    ['surrounding whitespace', basic(`${email}/token: ${token} `), 'the API token matches once the surrounding whitespace is removed'],
    ['quotes', basic(`${email}/token:"${token}"`), 'the API token matches once the quotes around it are removed'],
    ["Python's b'…'", basic(`${email}/token:b'${token}'`), "the API token matches once Python's b'...' around it is removed"],
    ['a missing /token', basic(`${email}:${token}`), 'the API token matches once "/token" is added after the email'],
    ['UTF-16', basic(`${email}/token:${token}`, 'utf16le'), 'the API token matches, but the credentials were encoded as UTF-16LE before base64 (PowerShell\'s Unicode); encode them as UTF-8'],
    ['another email', basic(`you@example.com/token:${token}`), 'the email differs'],
    ['another scheme', `Bearer ${token}x`, 'the scheme differs: expected Basic credentials'],
    // The right secret inside a header the real API would refuse: Zendesk answers these 401 too.
    ['the API token as a Bearer token', `Bearer ${token}`, 'the API token matches, but it was sent as a Bearer token; an API token goes in Basic as email/token:api_token'],
    ['quotes around the base64', `Basic "${b64}"`, 'the credentials are the ones expected, but they are wrapped in quotes'],
    ['a repeated scheme', `Basic Basic ${b64}`, 'the credentials are the ones expected, but the scheme is repeated'],
    ["Python's b'…' around the base64", `Basic b'${b64}'`, "the credentials are the ones expected, but they are wrapped in Python's b'...' (bytes turned into text)"],
    ['base64 without its padding', `Basic ${b64.replace(/=+$/, '')}`, "the credentials are the ones expected, but the base64 lacks its '=' padding"],
    ['a misspelt scheme', `Basci ${b64}`, 'the API token matches, but the scheme is written "Basci"; write "Basic"'],
    ['no space after the scheme', `Basic${b64}`, 'the API token matches, but there is no space between "Basic" and the credentials'],
    ["the documentation's placeholder", 'Basic {base-64-encoded email_address/token:api_token}', "the header holds the documentation's placeholder text, not credentials"],
    ['a Postman variable never resolved', 'Basic {{zendesk_credentials}}', "the header holds a variable's name that was never filled in (Postman {{...}}, shell $...), not credentials"],
  ])('names %s as the reason, and records the answer', async (_name, authorization, reason) => {
    const response = await fetch(`${base}/b/zendesk/hook`, { method: 'POST', headers: { authorization }, body: '{}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-authbin-reason')).toBe(reason);
    const list = (await (await fetch(`${base}/api/bins/zendesk/requests?limit=1`)).json()) as { requests: { id: string }[] };
    const detail = await fetchDetail(base, list.requests[0]!.id);
    expect(detail.answer?.status).toBe(401);
    expect(detail.answer?.rule?.name).toBe('Zendesk API');
    // The header carries the reason in ASCII: an ellipsis as "...".
    expect(detail.answer?.reasons.join('; ').replaceAll('…', '...')).toBe(reason);
  });

  it("answers Zendesk's Test webhook (a signed JSON POST with the webhook's Basic or Bearer authentication) with what its panel shows: status, body and the reason", async () => {
    // As Zendesk sends it: its headers, the documented test signing secret, the admin's chosen authentication.
    const body = JSON.stringify({ type: 'zen:event-type:ticket.created', detail: { id: '35436', subject: 'Help, my printer is on fire!' } });
    const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const testWebhook = (authorization: string) =>
      fetch(`${base}/b/zendesk`, {
        method: 'POST',
        headers: {
          'User-Agent': 'Zendesk Webhook',
          'Content-Type': 'application/json; charset=utf-8',
          'x-zendesk-account-id': '123456',
          'x-zendesk-webhook-id': '01F1KRFQ6BG29CNWFR60NK5FNY',
          'x-zendesk-webhook-invocation-id': '8350205582',
          'x-zendesk-webhook-signature': createHmac('sha256', ZENDESK_TEST_SECRET).update(timestamp + body).digest('base64'),
          'x-zendesk-webhook-signature-timestamp': timestamp,
          Authorization: authorization,
        },
        body,
      });
    const shown = async (response: Response) => [response.status, await response.text(), response.headers.get('x-authbin-reason')];
    expect(await shown(await testWebhook(basic(`${email}/token:${token}`)))).toEqual([200, expect.stringContaining('"email":"me@example.com"'), null]);
    expect(await shown(await testWebhook(basic(`${email}:${token}`)))).toEqual([401, '{"error":"Couldn\'t authenticate you"}', 'the API token matches once "/token" is added after the email']);
    expect(await shown(await testWebhook(`Bearer ${token}`))).toEqual([
      401,
      '{"error":"Couldn\'t authenticate you"}',
      'the API token matches, but it was sent as a Bearer token; an API token goes in Basic as email/token:api_token',
    ]);
  });

  it("names ISO-8859-1 as what Python requests sends for a non-ASCII password, not PowerShell's UTF-16", async () => {
    const rules = basicChallengePreset({ kind: 'password', email, password: 'pässwörd' });
    const put = await fetch(`${base}/api/bins/latin/rules`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
    expect(put.status).toBe(200);
    const script = `import requests, sys
r = requests.get(sys.argv[1], auth=("${email}", "pässwörd"))
print(r.status_code, r.headers.get("X-Authbin-Reason"))`;
    const { stdout } = await run('python3', ['-c', script, `${base}/b/latin/hook`]);
    expect(stdout.trim()).toBe('401 the credentials are the ones expected, but they were encoded as ISO-8859-1 instead of UTF-8');
  });

  it('gives a times: 3 rule exactly 3 of 50 parallel requests, then the default', async () => {
    const statuses = await Promise.all(Array.from({ length: 50 }, () => fetch(`${base}/b/flaky`, { method: 'POST', body: 'x' }).then((r) => r.status)));
    expect(statuses.filter((status) => status === 503)).toHaveLength(3);
    expect(statuses.filter((status) => status === 200)).toHaveLength(47);
    const rules = ((await (await fetch(`${base}/api/bins/flaky/rules`)).json()) as RulesResponse).rules;
    expect(rules[0]!.answered).toBe(3);
    await fetch(`${base}/api/bins/flaky/rules/reset`, { method: 'POST' });
    expect((await fetch(`${base}/b/flaky`)).status).toBe(503);
  });

  it('claims each rule with times in the capture\'s own insert: 50 parallel requests get 2, then 3 of the next rule, then the default, each recorded as it was answered', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const answer = await fetch(`${base}/b/sequence`, { method: 'POST', body: 'x' });
        return { status: answer.status, text: await answer.text() };
      }),
    );
    const statuses = answers.map(({ status }) => status);
    expect(statuses.filter((status) => status === 503)).toHaveLength(2);
    expect(statuses.filter((status) => status === 429)).toHaveLength(3);
    expect(statuses.filter((status) => status === 200)).toHaveLength(45);
    for (const { status, text } of answers.filter(({ status }) => status === 429)) expect(text, String(status)).toMatch(/^busy \d+$/);
    // Each capture recorded the answer its sender got, the reasons of the rules before included; a used-up rule adds none.
    const { requests } = await t.store.listRequests('sequence', { limit: 50 });
    const recorded = await Promise.all(requests.map(async ({ id }) => (await fetchDetail(base, id)).answer));
    const byStatus = (status: number) => recorded.filter((answer) => answer?.status === status);
    expect(byStatus(503)).toHaveLength(2);
    expect(byStatus(503)[0]).toMatchObject({ rule: { name: 'unavailable' }, reasons: ['the method is POST'] });
    expect(byStatus(429)).toHaveLength(3);
    expect(byStatus(429)[0]).toMatchObject({ rule: { name: 'busy' }, reasons: ['the method is POST'] });
    expect(byStatus(200)).toHaveLength(45);
    expect(byStatus(200)[0]).toEqual({ status: 200, rule: null, reasons: ['the method is POST'] });
    const rules = ((await (await fetch(`${base}/api/bins/sequence/rules`)).json()) as RulesResponse).rules;
    expect(rules.map((rule) => rule.answered)).toEqual([0, 2, 3]);
    // The 429's body named its own request.
    const busyIds = answers.filter(({ status }) => status === 429).map(({ text }) => text.split(' ')[1]);
    for (const id of busyIds) expect((await fetchDetail(base, id!)).answer).toMatchObject({ status: 429 });
  });

  it('refuses a regular expression that can backtrack without end', async () => {
    await fetch(`${base}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'regex' }) });
    const rules = [{ when: [{ body: { matches: '^(a+)+$' } }], respond: { status: 418 } }];
    const hostile = await fetch(`${base}/api/bins/regex/rules`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
    expect(hostile.status).toBe(400);
    expect(((await hostile.json()) as { error: { message: string } }).error.message).toMatch(/^rules\[0\]\.when\[0\]\.body\.matches: a repeated group holds a repeat/);
  });

  it('leaves CORS preflights to the usual answer', async () => {
    const preflight = await fetch(`${base}/b/flaky`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
  });

  it('keeps the token out of the database (a SQLite file and its WAL, or every PostgreSQL table)', async () => {
    // Captured requests hold what senders sent; the rules' own rows must not: the stored secret is only a hash.
    expect(await foundInDatabase(t.dbPath, [`"email":"${email}"`])).not.toEqual([]);
    expect(await foundInDatabase(t.dbPath, [`"token":"${token}"`])).toEqual([]);
  });
});
