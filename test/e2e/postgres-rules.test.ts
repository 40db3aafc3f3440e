import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zendeskApiPreset } from '../../shared/rules/presets.ts';
import { testEngines, type TestEngine } from '../helpers/app.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const postgres = testEngines().find((engine): engine is TestEngine => engine.name === 'postgres');
const run = promisify(execFile);
const email = 'me@example.com';
const token = 'zd-pg-token-Qm4v8Rk2Lw';

async function putRules(base: string, bin: string, rules: unknown): Promise<Response> {
  return fetch(`${base}/api/bins/${bin}/rules`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
}

describe.runIf(postgres)('rules on the built server, two instances on one PostgreSQL database', () => {
  let drop: () => Promise<void>;
  let servers: RunningServer[];

  beforeAll(async () => {
    const database = await postgres!.createDatabase();
    drop = database.drop;
    // AUTHBIN_DB, as a deployment sets it; the key the same on both, and none on the third.
    const env = { AUTHBIN_DB: database.db, AUTHBIN_SECRET_KEY: 'one-key-for-every-instance-0123456789' };
    servers = await Promise.all([startServer({ dbPath: database.db, env }), startServer({ dbPath: database.db, env }), startServer({ dbPath: database.db })]);
  });
  afterAll(async () => {
    for (const server of servers) expect(await server.stop()).toBe(0);
    await drop();
  });

  it('answers curl on one instance by the Zendesk preset set through the other: 401 naming the mistake, then 200', async () => {
    const [a, b] = servers;
    expect((await putRules(a!.url, 'zendesk', zendeskApiPreset({ kind: 'api-token', email, token }))).status).toBe(200);
    const wrong = await run('curl', ['-s', '-i', '-u', `${email}/token:${token}\n`, `${b!.url}/b/zendesk/api/v2/users/me.json`]);
    expect(wrong.stdout).toMatch(/^HTTP\/1\.1 401 /);
    expect(wrong.stdout).toMatch(/^X-Authbin-Reason: the API token matches once the trailing line break is removed\r$/im);
    const right = await run('curl', ['-s', '-i', '-u', `${email}/token:${token}`, `${b!.url}/b/zendesk/api/v2/users/me.json`]);
    expect(right.stdout).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('refuses a rule with a secret on an instance without AUTHBIN_SECRET_KEY, naming it', async () => {
    const keyless = servers[2]!;
    const refused = await putRules(keyless.url, 'keyless', zendeskApiPreset({ kind: 'api-token', email, token }));
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'secret_key_required', message: expect.stringContaining('AUTHBIN_SECRET_KEY') });
  });

  it('prints no secret', () => {
    for (const server of servers) expect(server.output()).not.toContain(token);
  });
});
