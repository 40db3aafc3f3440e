import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RulesResponse } from '../../../shared/rules/types.ts';
import { zendeskApiPreset } from '../../../shared/rules/presets.ts';
import { openTestStore, startTestApp, testEngines, type TestApp } from '../../helpers/app.ts';
import { foundInDatabase } from '../../helpers/stored-text.ts';

const json = (body: unknown, method = 'PUT'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const token = 'zd-token-4f9a1c77b0e2Kq';
const signingSecret = 'whsec-signing-secret-90ab';
const secretKey = 'a-key-every-instance-shares-0123456789';

const engines = testEngines();
const postgres = engines.find((engine) => engine.name === 'postgres');

describe.each(engines)('the rules API on $name', (engine) => {
  let t: TestApp;

  beforeEach(async () => {
    // PostgreSQL needs the key configured (every instance checks with the same one); SQLite makes a key file beside its file.
    t = await startTestApp(engine, engine.name === 'postgres' ? { AUTHBIN_SECRET_KEY: secretKey } : {});
    expect((await t.app.request('/api/bins', json({ id: 'zd' }, 'POST'))).status).toBe(201);
  });
  afterEach(() => t.close());

  async function put(rules: unknown): Promise<Response> {
    return t.app.request('/api/bins/zd/rules', json({ rules }));
  }

  it('starts empty, takes a list whole and gives it back in order with ids', async () => {
    expect(await (await t.app.request('/api/bins/zd/rules')).json()).toEqual({ rules: [] });
    const rules = [
      { name: 'first', when: [{ method: 'POST' }, { header: { name: 'X-Test', equals: '1' }, not: true }], respond: { status: 503 }, times: 2 },
      { when: [], respond: { status: 200, body: 'ok {{request.id}}' } },
    ];
    const answer = await put(rules);
    expect(answer.status).toBe(200);
    const saved = ((await answer.json()) as RulesResponse).rules;
    expect(saved.map((rule) => [rule.name, rule.when, rule.times, rule.answered])).toEqual([
      ['first', [{ method: 'POST' }, { header: { name: 'X-Test', equals: '1' }, not: true }], 2, 0],
      [undefined, [], undefined, 0],
    ]);
    expect(saved.every((rule) => /^[\w-]{11}$/.test(rule.id))).toBe(true);
    expect(((await (await t.app.request('/api/bins/zd/rules')).json()) as RulesResponse).rules).toEqual(saved);
  });

  it('refuses a list with a 400 naming the field, and keeps the rules it had', async () => {
    await put([{ name: 'kept', when: [], respond: {} }]);
    const cases: [unknown, string][] = [
      [[{ when: [], respond: {} }, { when: [], respond: {} }, { when: [{ header: { name: 'x', matches: '(' } }], respond: {} }], 'rules[2].when[0].header.matches: invalid regular expression'],
      [[{ when: [{ pathRegex: 'a'.repeat(501) }], respond: {} }], 'rules[0].when[0].pathRegex: is longer than 500 characters'],
      [[{ when: [], respond: { status: 99 } }], 'rules[0].respond.status: must be a whole number from 200 to 599'],
      [[{ when: [], respond: {}, times: 0 }], 'rules[0].times: must be a whole number, 1 or more (leave it out for no limit)'],
      [[{ when: [{ method: 'GET', path: '/x' }], respond: {} }], 'rules[0].when[0]: must hold exactly one of method, path, pathRegex, query, header, body, credentials, finding, signature'],
      [[{ when: [{ credentials: { kind: 'api-token', email: 'me@example.com' } }], respond: {} }], 'rules[0].when[0].credentials.token: must be filled in'],
      [[{ when: [{ finding: 'no-such-finding' }], respond: {} }], 'rules[0].when[0].finding: is not a finding code, e.g. utf16'],
      [[{ when: [], respond: { headers: { 'Content-Length': '2' } } }], 'rules[0].respond.headers.Content-Length: the bin response may not set "Content-Length": authbin frames the response itself, from its body'],
      [[{ when: [], respond: { delayMs: 30_001 } }], 'rules[0].respond.delayMs: must be a whole number from 0 to 30000'],
    ];
    for (const [rules, message] of cases) {
      const answer = await put(rules);
      expect(answer.status, message).toBe(400);
      expect(await answer.json()).toEqual({ error: { code: 'invalid_rules', message } });
    }
    const kept = ((await (await t.app.request('/api/bins/zd/rules')).json()) as RulesResponse).rules;
    expect(kept.map((rule) => rule.name)).toEqual(['kept']);
  });

  it('answers 404 for a bin that does not exist, and makes it when its rules are set', async () => {
    expect((await t.app.request('/api/bins/nope/rules')).status).toBe(404);
    expect((await t.app.request('/api/bins/nope/rules/reset', { method: 'POST' })).status).toBe(404);
    expect((await t.app.request('/api/bins/refused/rules', json({ rules: [{ when: [], respond: { status: 99 } }] }))).status).toBe(400);
    expect((await t.app.request('/api/bins/refused')).status).toBe(404);

    const made = await t.app.request('/api/bins/new-bin/rules', json({ rules: [{ name: 'teapot', when: [], respond: { status: 418 } }] }));
    expect(made.status).toBe(200);
    expect(((await made.json()) as RulesResponse).rules.map((rule) => rule.name)).toEqual(['teapot']);
    expect(await (await t.app.request('/api/bins/new-bin')).json()).toMatchObject({ id: 'new-bin', requestCount: 0, response: null });
    expect((await t.app.request('/b/new-bin', { method: 'POST' })).status).toBe(418);
  });

  it('shows secrets masked, keeps a masked secret sent back, and writes none to the database', async () => {
    const rules = [
      ...zendeskApiPreset({ kind: 'api-token', email: 'me@example.com', token }),
      { id: '', name: 'signed', when: [{ signature: { scheme: 'zendesk', secret: signingSecret } }], respond: { status: 204 } },
    ];
    const saved = ((await (await put(rules)).json()) as RulesResponse).rules;
    expect(saved[0]!.when).toEqual([{ credentials: { kind: 'api-token', email: 'me@example.com', token: '••••••••e2Kq (23 characters)' }, not: true }]);
    expect(saved[2]!.when).toEqual([{ signature: { scheme: 'zendesk', secret: '••••••••90ab (25 characters)' } }]);
    const resent = await put(saved.map((rule) => ({ ...rule, name: `${rule.name} again` })));
    expect(resent.status).toBe(200);
    const again = ((await resent.json()) as RulesResponse).rules;
    expect(again.map((rule) => rule.id)).toEqual(saved.map((rule) => rule.id));
    expect(again.map((rule) => rule.when)).toEqual(saved.map((rule) => rule.when));

    if (engine.name === 'sqlite') {
      const folder = dirname(t.dbPath);
      expect(statSync(join(folder, 'authbin.db.key')).mode & 0o777).toBe(0o600);
      expect(readdirSync(folder)).toContain('authbin.db-wal');
    }
    // What is kept in clear is found where it is kept: the search reads the rules.
    expect(await foundInDatabase(t.dbPath, ['me@example.com', 'e2Kq'])).not.toEqual([]);
    expect(await foundInDatabase(t.dbPath, [token, signingSecret])).toEqual([]);
  });

  it('keeps each masked secret with its rule and condition when rules and conditions are reordered', async () => {
    const other = 'another-token-for-rule-b-77';
    const saved = ((await (await put([
      { name: 'a', when: [{ method: 'POST' }, { credentials: { kind: 'api-token', email: 'a@example.com', token } }], respond: { status: 201 } },
      { name: 'b', when: [{ credentials: { kind: 'api-token', email: 'b@example.com', token: other } }, { signature: { secret: signingSecret } }], respond: { status: 202 } },
    ])).json()) as RulesResponse).rules;
    // b first, and each rule's conditions the other way round, every secret sent back masked.
    const reordered = [saved[1]!, saved[0]!].map((rule) => ({ ...rule, when: [...rule.when].reverse() }));
    const answer = await put(reordered);
    expect(answer.status).toBe(200);
    const kept = (await t.store.compiledRules('zd')).stored;
    const secrets = t.store.ruleSecrets();
    expect(kept.map(({ rule }) => rule.name)).toEqual(['b', 'a']);
    expect(kept[0]!.secrets[1]).toMatchObject({ hash: secrets.hash(other) });
    expect(secrets.open((kept[0]!.secrets[0] as { sealed: string }).sealed)).toBe(signingSecret);
    expect(kept[1]!.secrets).toEqual([{ hash: secrets.hash(token), mask: '••••••••e2Kq (23 characters)', key: secrets.keyId }, null]);
    // The email may change around a kept secret.
    const moved = structuredClone(reordered);
    (moved[0]!.when[1] as { credentials: { email: string } }).credentials.email = 'b2@example.com';
    expect((await put(moved)).status).toBe(200);
    expect((await t.store.compiledRules('zd')).stored[0]!.secrets[1]).toMatchObject({ hash: secrets.hash(other) });
  });

  it('refuses a masked secret that matches none kept for that rule, naming the field', async () => {
    const saved = ((await (await put([
      { name: 'a', when: [{ credentials: { kind: 'api-token', email: 'a@example.com', token } }], respond: { status: 401 } },
      { name: 'signed', when: [{ signature: { scheme: 'zendesk', secret: signingSecret } }], respond: { status: 204 } },
    ])).json()) as RulesResponse).rules;
    const mask = (saved[0]!.when[0] as { credentials: { token: string } }).credentials.token;
    const cases: [unknown[], string][] = [
      // A new rule (no id) with a mask copied from another.
      [[saved[0], { when: [{ credentials: { kind: 'api-token', email: 'a@example.com', token: mask } }], respond: {} }], 'rules[1].when[0].credentials.token: the masked secret matches none kept for this rule: type the secret again'],
      // The mask of another secret, and a mask moved to the other rule.
      [[{ ...saved[0], when: [{ credentials: { kind: 'api-token', email: 'a@example.com', token: '••••••••zzzz (23 characters)' } }] }], 'rules[0].when[0].credentials.token: the masked secret matches none kept for this rule: type the secret again'],
      [[{ ...saved[1], when: [{ signature: { secret: mask } }] }], 'rules[0].when[0].signature.secret: the masked secret matches none kept for this rule: type the secret again'],
      // The same mask under another kind of credentials.
      [[{ ...saved[0], when: [{ credentials: { kind: 'password', email: 'a@example.com', password: mask } }] }], 'rules[0].when[0].credentials.password: the masked secret matches none kept for this rule: type the secret again'],
    ];
    for (const [rules, message] of cases) {
      const answer = await put(rules);
      expect(answer.status, message).toBe(400);
      expect(await answer.json()).toEqual({ error: { code: 'invalid_rules', message } });
    }
    expect(((await (await t.app.request('/api/bins/zd/rules')).json()) as RulesResponse).rules).toEqual(saved);
    const refusedNew = await t.app.request('/api/bins/not-made/rules', json({ rules: [{ id: 'abc', when: [{ credentials: { kind: 'oauth', token: mask } }], respond: {} }] }));
    expect(refusedNew.status).toBe(400);
    expect((await t.app.request('/api/bins/not-made')).status).toBe(404);
  });

  it('counts every answer of a rule, with or without times, keeps the counts when saved again, and sets them back to 0 on reset', async () => {
    const saved = ((await (await put([
      { name: 'limited', when: [{ method: 'POST' }], respond: { status: 503 }, times: 2 },
      { name: 'always', when: [], respond: { status: 202 } },
    ])).json()) as RulesResponse).rules;
    const statuses = [];
    for (const method of ['POST', 'POST', 'POST', 'GET', 'GET']) statuses.push((await t.app.request('/b/zd', { method })).status);
    expect(statuses).toEqual([503, 503, 202, 202, 202]);
    const counts = async () => ((await (await t.app.request('/api/bins/zd/rules')).json()) as RulesResponse).rules.map((rule) => rule.answered);
    expect(await counts()).toEqual([2, 3]);
    expect(((await (await put(saved)).json()) as RulesResponse).rules.map((rule) => rule.answered)).toEqual([2, 3]);

    const reset = await t.app.request('/api/bins/zd/rules/reset', { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(((await reset.json()) as RulesResponse).rules.map((rule) => rule.answered)).toEqual([0, 0]);
    expect((await t.app.request('/b/zd', { method: 'POST' })).status).toBe(503);
    expect(await counts()).toEqual([1, 0]);
  });
});

describe.runIf(postgres)('rules on PostgreSQL without AUTHBIN_SECRET_KEY', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(postgres!);
    expect((await t.app.request('/api/bins', json({ id: 'zd' }, 'POST'))).status).toBe(201);
  });
  afterEach(() => t.close());

  it('keeps rules without secrets, and refuses one with a secret with a 409 naming the key', async () => {
    const plain = await t.app.request('/api/bins/zd/rules', json({ rules: [{ when: [{ method: 'POST' }], respond: { status: 503 }, times: 2 }] }));
    expect(plain.status).toBe(200);
    for (const rules of [zendeskApiPreset({ kind: 'api-token', email: 'me@example.com', token }), [{ when: [{ signature: { secret: signingSecret } }], respond: {} }]]) {
      const refused = await t.app.request('/api/bins/zd/rules', json({ rules }));
      expect(refused.status).toBe(409);
      const { error } = (await refused.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('secret_key_required');
      expect(error.message).toMatch(/need AUTHBIN_SECRET_KEY on PostgreSQL: set it to the same value, 32 characters or more, on every instance/);
    }
    const kept = ((await (await t.app.request('/api/bins/zd/rules')).json()) as RulesResponse).rules;
    expect(kept.map((rule) => rule.when)).toEqual([[{ method: 'POST' }]]);
    // Refused for a bin not made yet: the bin is not left behind either.
    expect((await t.app.request('/api/bins/not-made/rules', json({ rules: [{ when: [{ signature: { secret: signingSecret } }], respond: {} }] }))).status).toBe(409);
    expect((await t.app.request('/api/bins/not-made')).status).toBe(404);
  });
});

describe('the key of rules\' secrets', () => {
  it('comes from the configured key when there is one, and no key file is made', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'authbin-key-'));
    const db = join(folder, 'authbin.db');
    const key = 'a-configured-key-of-32-characters!!';
    const store = await openTestStore(db, { secretKey: key });
    await store.createBin('k', null);
    const [rule] = (await store.setRules('k', [{ id: '', when: [{ credentials: { kind: 'oauth', token: 'oauth-token-value-123' } }], respond: {} }]))!;
    const reopened = await openTestStore(db, { secretKey: key });
    const kept = (await reopened.compiledRules('k')).stored[0]!.secrets[0] as { hash: string };
    expect(kept.hash).toBe(reopened.ruleSecrets().hash('oauth-token-value-123'));
    expect(rule!.when).toEqual([{ credentials: { kind: 'oauth', token: '••••••••-123 (21 characters)' } }]);
    expect(existsSync(`${db}.key`)).toBe(false);
    await store.close();
    await reopened.close();
    rmSync(folder, { recursive: true, force: true });
  });
});
