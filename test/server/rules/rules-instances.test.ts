import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RulesResponse } from '../../../shared/rules/types.ts';
import { flakyPreset, zendeskApiPreset } from '../../../shared/rules/presets.ts';
import { fetchDetail, startTestAppOn, testEngines, type TestApp } from '../../helpers/app.ts';

const postgres = testEngines().find((engine) => engine.name === 'postgres');
const secretKey = 'a-key-every-instance-shares-0123456789';
const email = 'me@example.com';
const token = 'Zk3vQ9pLx2mN7wRt5yBc';

async function putRules(base: string, bin: string, rules: unknown): Promise<RulesResponse> {
  await fetch(`${base}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: bin }) });
  const answer = await fetch(`${base}/api/bins/${bin}/rules`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
  expect(answer.status).toBe(200);
  return (await answer.json()) as RulesResponse;
}

const statusOf = async (url: string, init?: RequestInit) => (await fetch(url, { method: 'POST', body: 'x', ...init })).status;

describe.runIf(postgres)('rules across two authbin instances on one PostgreSQL database', () => {
  let db: string;
  let drop: () => Promise<void>;
  let a: TestApp;
  let b: TestApp;
  let baseA: string;
  let baseB: string;

  beforeEach(async () => {
    ({ db, drop } = await postgres!.createDatabase());
    [a, b] = await Promise.all([startTestAppOn(db, { AUTHBIN_SECRET_KEY: secretKey }), startTestAppOn(db, { AUTHBIN_SECRET_KEY: secretKey })]);
    [baseA, baseB] = await Promise.all([a.listen(), b.listen()]);
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
    await drop();
  });

  it('gives a times: 3 rule exactly 3 of 50 parallel requests sent to both instances', async () => {
    await putRules(baseA, 'flaky', flakyPreset({ times: 3 }));
    const statuses = await Promise.all(Array.from({ length: 50 }, (_, i) => statusOf(`${i % 2 === 0 ? baseA : baseB}/b/flaky`)));
    expect(statuses.filter((status) => status === 503)).toHaveLength(3);
    expect(statuses.filter((status) => status === 200)).toHaveLength(47);
    const rules = ((await (await fetch(`${baseB}/api/bins/flaky/rules`)).json()) as RulesResponse).rules;
    expect(rules[0]!.answered).toBe(3);
  });

  it('deletes a bin while both instances go on capturing on it and claiming its times rule, answering every capture', async () => {
    await putRules(baseA, 'flaky', flakyPreset({ times: 1000 }));
    const captured: number[] = [];
    let deletion: Promise<number> | undefined;
    // Ten senders, five per instance, send one request after another; the 20th answer sets off the deletion while they go on.
    const sender = async (base: string) => {
      while (captured.length < 200) {
        captured.push(await statusOf(`${base}/b/flaky`));
        if (captured.length === 20) deletion = fetch(`${baseA}/api/bins/flaky`, { method: 'DELETE' }).then((answer) => answer.status);
      }
    };
    await Promise.all(Array.from({ length: 10 }, (_, i) => sender(i % 2 === 0 ? baseA : baseB)));
    expect(await deletion).toBe(204);
    // Captures before the deletion claim the rule; those after it find no rule and re-create the bin. The deletion
    // waits for the captures already queued, not for a pause in capturing (the last 20 come after it).
    expect(captured.filter((status) => status !== 503 && status !== 200)).toEqual([]);
    expect(captured.slice(0, 20).every((status) => status === 503)).toBe(true);
    expect(captured.slice(-20).every((status) => status === 200)).toBe(true);
    expect((await (await fetch(`${baseB}/api/bins/flaky/rules`)).json()) as RulesResponse).toEqual({ rules: [] });
  });

  it('applies a rule change made on one instance on the other within a second', async () => {
    await putRules(baseA, 'switch', [{ when: [], respond: { status: 503 } }]);
    // B reads the rules and keeps them in memory.
    expect(await statusOf(`${baseB}/b/switch`)).toBe(503);
    for (const [rules, expected] of [
      [[{ when: [], respond: { status: 418 } }], 418],
      [[], 200],
    ] as const) {
      await putRules(baseA, 'switch', rules);
      const changed = Date.now();
      let status = 0;
      while ((status = await statusOf(`${baseB}/b/switch`)) !== expected && Date.now() - changed < 5000) await new Promise((resolve) => setTimeout(resolve, 10));
      const tookMs = Date.now() - changed;
      expect(status).toBe(expected);
      expect(tookMs, `B answered ${expected} ${tookMs} ms after the change on A`).toBeLessThan(1000);
    }
  });

  it('reads every bin\'s rules again after its LISTEN connection was lost, as a change may have been missed meanwhile', async () => {
    await putRules(baseA, 'missed', [{ when: [], respond: { status: 503 } }]);
    // Notifications arrive in commit order: once B has the live event of a capture made after the change, it has heard the change.
    const seenByB: string[] = [];
    b.store.onCapture((request) => seenByB.push(request.id));
    const { id: fence } = (await (await fetch(`${baseA}/b/fence`, { method: 'POST' })).json()) as { id: string };
    await vi.waitFor(() => expect(seenByB).toContain(fence), { timeout: 5000, interval: 10 });
    const statusOnB = async () => (await b.store.compiledRules('missed')).stored[0]!.rule.respond.status;
    expect(await statusOnB()).toBe(503);
    const admin = new pg.Client({ connectionString: db });
    await admin.connect();
    try {
      // Changed outside authbin, by an UPDATE, which is not announced: only the reconnection can tell B.
      await admin.query("UPDATE bin_rules SET rule = jsonb_set(rule::jsonb, '{respond,status}', '418')::text WHERE bin = 'missed'");
      expect(await statusOnB()).toBe(503);
      const { rowCount } = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'authbin-live' AND datname = current_database()");
      expect(rowCount).toBe(2);
    } finally {
      await admin.end();
    }
    await vi.waitFor(async () => expect(await statusOnB()).toBe(418), { timeout: 5000, interval: 20 });
  });

  it('checks credentials kept through one instance on the other, which has the same key', async () => {
    await putRules(baseA, 'zd', zendeskApiPreset({ kind: 'api-token', email, token }));
    const basic = (secret: string) => ({ authorization: `Basic ${Buffer.from(`${email}/token:${secret}`).toString('base64')}` });
    const wrong = await fetch(`${baseB}/b/zd/api/v2/users/me.json`, { headers: basic('WRONG') });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('x-authbin-reason')).toBe('the API token differs');
    expect((await fetch(`${baseB}/b/zd/api/v2/users/me.json`, { headers: basic(token) })).status).toBe(200);
  });

  it('says an instance started without the key cannot check a secret, rather than failing the capture', async () => {
    await putRules(baseA, 'zd', zendeskApiPreset({ kind: 'api-token', email, token }));
    const keyless = await startTestAppOn(db);
    try {
      const base = await keyless.listen();
      const answer = await fetch(`${base}/b/zd/hook`, { headers: { authorization: `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}` } });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('x-authbin-reason')).toBe('this authbin instance has no AUTHBIN_SECRET_KEY to check the secret with');
    } finally {
      await keyless.close();
    }
  });

  it('tells a secret kept under another key from a wrong one, on an instance given another AUTHBIN_SECRET_KEY', async () => {
    await putRules(baseA, 'zd', zendeskApiPreset({ kind: 'api-token', email, token }));
    await putRules(baseA, 'signed', [{ name: 'signed', when: [{ signature: { scheme: 'zendesk', secret: 'whsec-signing-secret-90ab' } }], respond: { status: 204 } }]);
    const other = await startTestAppOn(db, { AUTHBIN_SECRET_KEY: 'another-key-than-the-others-0123456789' });
    try {
      const base = await other.listen();
      const otherKey = "the secret was kept under another key than this instance's: give every instance the same AUTHBIN_SECRET_KEY";
      const answer = await fetch(`${base}/b/zd/hook`, { headers: { authorization: `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}` } });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('x-authbin-reason')).toBe(otherKey);
      // The signing secret, sealed under the others' key, is not opened with this one: the capture is answered, not failed.
      const signed = await fetch(`${base}/b/signed`, { method: 'POST', body: '{}' });
      expect(signed.status).toBe(200);
      const { id } = (await signed.json()) as { id: string };
      expect((await fetchDetail(base, id)).answer).toEqual({ status: 200, rule: null, reasons: [otherKey] });
    } finally {
      await other.close();
    }
  });
});
