import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../../shared/api.ts';
import { secretNotExported } from '../../../shared/rules/masked-secret.ts';
import { zendeskApiPreset } from '../../../shared/rules/presets.ts';
import type { RulesResponse } from '../../../shared/rules/types.ts';
import { startTestApp, testEngines, type TestApp } from '../../helpers/app.ts';

const email = 'me@example.com';
const token = 'zd-token-for-export-Xy71';
const signingSecret = 'whsec-export-signing-secret-5566';
const headerValue = 'Bearer header-value-to-hide-9911';
const json = (body: unknown): RequestInit => ({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const basic = (secret: string) => `Basic ${Buffer.from(`${email}/token:${secret}`).toString('base64')}`;

const engines = testEngines();
const postgres = engines.find((engine) => engine.name === 'postgres');

describe.each(engines)('a bin\'s rules through export and import on $name', (engine) => {
  let t: TestApp;
  let base: string;
  beforeEach(async () => {
    t = await startTestApp(engine, engine.name === 'postgres' ? { AUTHBIN_SECRET_KEY: 'a-key-every-instance-shares-0123456789' } : {});
    base = await t.listen();
    const rules = [
      { id: '', name: 'signed', when: [{ signature: { scheme: 'zendesk', secret: signingSecret } }], respond: { status: 204 } },
      { id: '', name: 'header', when: [{ credentials: { kind: 'header', value: headerValue } }, { method: 'PUT' }], respond: { status: 202 } },
      { id: '', name: 'teapot', when: [{ path: '/tea' }], respond: { status: 418 }, times: 2 },
      ...zendeskApiPreset({ kind: 'api-token', email, token }),
    ];
    expect((await fetch(`${base}/api/bins/source/rules`, json({ rules }))).status).toBe(200);
    expect((await fetch(`${base}/b/source/tea`, { headers: { authorization: basic(token) } })).status).toBe(418);
  });
  afterEach(() => t.close());

  const exportOf = async (bin: string) => (await fetch(`${base}/api/bins/${bin}/export?format=ndjson`)).text();
  const importInto = async (bin: string, text: string) => {
    const answer = await fetch(`${base}/api/bins/${bin}/import`, { method: 'POST', body: text });
    return { status: answer.status, body: (await answer.json()) as ImportResult & { error?: { message: string } } };
  };
  const rulesOf = async (bin: string) => ((await (await fetch(`${base}/api/bins/${bin}/rules`)).json()) as RulesResponse).rules;

  it('leads the export with the rules, no secret byte in it, and says the secrets were removed', async () => {
    const text = await exportOf('source');
    const [first, ...requests] = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(requests).toHaveLength(1);
    expect(first).toMatchObject({ authbin: 1, bin: 'source', secretsRemoved: true, note: expect.stringContaining('not exported') });
    expect((first!.rules as RulesResponse['rules']).map((rule) => [rule.id, rule.name, rule.answered])).toEqual([
      ['', 'signed', undefined],
      ['', 'header', undefined],
      ['', 'teapot', undefined],
      ['', 'Zendesk API', undefined],
      ['', 'Zendesk API: authenticated', undefined],
    ]);
    expect((first!.rules as RulesResponse['rules'])[3]!.when).toEqual([{ credentials: { kind: 'api-token', email, token: secretNotExported }, not: true }]);
    const exported = Buffer.from(text);
    // The request line carries what the sender sent (its Basic header): only the rules line is checked for the token.
    const rulesLine = Buffer.from(text.slice(0, text.indexOf('\n')));
    for (const secret of [signingSecret, headerValue, token]) {
      for (const form of [secret, secret.slice(-4), Buffer.from(secret).toString('base64')]) expect(rulesLine.includes(form), `${form} in the rules line`).toBe(false);
    }
    for (const secret of [signingSecret, headerValue]) expect(exported.includes(secret), `${secret} in the export`).toBe(false);
  });

  it('restores the rules on import, those with a secret waiting for it: they never match and say why', async () => {
    const imported = await importInto('copy', await exportOf('source'));
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ imported: 1, rules: { inFile: 5, imported: 5, needSecret: 3 } });
    const rules = await rulesOf('copy');
    expect(rules.map((rule) => [rule.name, rule.times, rule.answered])).toEqual([
      ['signed', undefined, 0],
      ['header', undefined, 0],
      ['teapot', 2, 0],
      ['Zendesk API', undefined, 0],
      ['Zendesk API: authenticated', undefined, 0],
    ]);
    expect(rules[0]!.when).toEqual([{ signature: { scheme: 'zendesk', secret: secretNotExported } }]);

    // The right token no longer passes: the Zendesk rule answers 401, saying the secret must be typed again.
    const answer = await fetch(`${base}/b/copy/api/v2/users/me.json`, { method: 'PUT', headers: { authorization: basic(token) } });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('x-authbin-reason')).toContain("the rule's expected secret was not exported with it: re-enter it");
    expect((await fetch(`${base}/b/copy/tea`)).status).toBe(418);

    // Sent back as the API shows them, the waiting conditions keep waiting; typed again, the secret works.
    expect((await fetch(`${base}/api/bins/copy/rules`, json({ rules }))).status).toBe(200);
    const zendesk = structuredClone(rules);
    (zendesk[3]!.when[0] as { credentials: { token: string } }).credentials.token = token;
    const saved = await fetch(`${base}/api/bins/copy/rules`, json({ rules: zendesk }));
    expect(saved.status).toBe(200);
    expect((await fetch(`${base}/b/copy/api/v2/users/me.json`, { headers: { authorization: basic(token) } })).status).toBe(200);

    // A new rule cannot take the marker: there is nothing to keep.
    const marker = await fetch(`${base}/api/bins/copy/rules`, json({ rules: [{ when: [{ credentials: { kind: 'oauth', token: secretNotExported } }], respond: {} }] }));
    expect(await marker.json()).toEqual({ error: { code: 'invalid_rules', message: 'rules[0].when[0].credentials.token: the secret was not exported: type it again' } });
  });

  it('never replaces the rules a bin has, and imports rules alone into a bin not made yet', async () => {
    const text = await exportOf('source');
    await fetch(`${base}/api/bins/own/rules`, json({ rules: [{ name: 'own', when: [], respond: { status: 202 } }] }));
    expect((await importInto('own', text)).body).toMatchObject({ imported: 1, rules: { inFile: 5, imported: 0, needSecret: 0 } });
    expect((await rulesOf('own')).map((rule) => rule.name)).toEqual(['own']);

    const rulesOnly = text.slice(0, text.indexOf('\n') + 1);
    expect((await importInto('fresh', rulesOnly)).body).toMatchObject({ imported: 0, rules: { inFile: 5, imported: 5, needSecret: 3 } });
    expect((await rulesOf('fresh')).length).toBe(5);
  });

  it('refuses, before storing anything, a rules line that is invalid, masked or doubled', async () => {
    const text = await exportOf('source');
    const [rulesLine, requestLine] = text.trimEnd().split('\n') as [string, string];
    const line = JSON.parse(rulesLine) as { rules: RulesResponse['rules'] };
    const masked = structuredClone(line);
    (masked.rules[3]!.when[0] as { credentials: { token: string } }).credentials.token = ((await rulesOf('source'))[3]!.when[0] as { credentials: { token: string } }).credentials.token;
    const invalid = structuredClone(line);
    invalid.rules[2]!.respond.status = 99;
    const cases: [string, string][] = [
      [`${requestLine}\n${JSON.stringify(masked)}\n`, 'line 2: rules[3].when[0].credentials.token: a masked secret cannot be imported: give the secret or "secret not exported: re-enter it"'],
      [`${JSON.stringify(invalid)}\n${requestLine}\n`, 'line 1: rules[2].respond.status: must be a whole number from 200 to 599'],
      [`${rulesLine}\n${rulesLine}\n`, 'line 2: a second rules line: an export has one'],
    ];
    for (const [body, message] of cases) expect(await importInto('refused', body)).toEqual({ status: 400, body: { error: { code: 'invalid_import', message } } });
    expect((await fetch(`${base}/api/bins/refused`)).status).toBe(404);
  });
});

describe.runIf(postgres)('rules imported on PostgreSQL without AUTHBIN_SECRET_KEY', () => {
  it('are restored, since the export holds no secret to keep; typing one needs the key', async () => {
    const t = await startTestApp(postgres!);
    try {
      const line = { authbin: 1, rules: [{ name: 'Zendesk API', when: [{ credentials: { kind: 'api-token', email, token: secretNotExported }, not: true }], respond: { status: 401 } }] };
      const imported = await t.app.request('/api/bins/keyless/import', { method: 'POST', body: `${JSON.stringify(line)}\n` });
      expect(await imported.json()).toMatchObject({ imported: 0, rules: { inFile: 1, imported: 1, needSecret: 1 } });
      const answer = await t.app.request('/b/keyless', { headers: { authorization: basic(token) } });
      expect(answer.status).toBe(401);
      const typed = structuredClone(line.rules);
      typed[0]!.when[0]!.credentials.token = token;
      expect((await t.app.request('/api/bins/keyless/rules', json({ rules: typed }))).status).toBe(409);
    } finally {
      await t.close();
    }
  });

  it('refuses a whole import whose rules line holds a real secret, storing nothing, with the 409 that asks for the key', async () => {
    const t = await startTestApp(postgres!);
    try {
      const line = { authbin: 1, rules: [{ name: 'Zendesk API', when: [{ credentials: { kind: 'api-token', email, token }, not: true }], respond: { status: 401 } }] };
      const request = { authbin: 1, id: '1', bin: 'x', receivedAt: '2026-11-01T10:00:00.000Z', method: 'POST', path: '/hook', query: '', httpVersion: '1.1', remoteAddress: null, remotePort: null, rawHeaders: [['Host', 'h']], body: '', bodySize: 0, truncated: false };
      const refused = await t.app.request('/api/bins/keyless-secret/import', { method: 'POST', body: `${JSON.stringify(line)}\n${JSON.stringify(request)}\n` });
      expect(refused.status).toBe(409);
      const { error } = (await refused.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('secret_key_required');
      expect(error.message).toMatch(/^the file's rules line holds a secret, so nothing was imported: .*AUTHBIN_SECRET_KEY/);
      expect(error.message).not.toContain(token);
      expect((await t.app.request('/api/bins/keyless-secret')).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
