import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/run-cli.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let base: string;
let id: string;
const secret = 'whsec-for-the-cli-test';
beforeAll(async () => {
  t = makeTestApp();
  base = await t.listen();
  const body = '{"event":"ticket.created"}';
  const timestamp = new Date().toISOString();
  const response = await fetch(`${base}/b/cli/hook`, {
    method: 'POST',
    body,
    headers: {
      'X-Zendesk-Webhook-Signature': createHmac('sha256', secret).update(timestamp + body).digest('base64'),
      'X-Zendesk-Webhook-Signature-Timestamp': timestamp,
    },
  });
  id = ((await response.json()) as { id: string }).id;
});
afterAll(() => t.close());

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readStdin: async () => '',
    stdinIsTerminal: true,
    now: () => Date.now(),
  });
  return { code, stdout, stderr };
}

describe('authbin verify', () => {
  it('says a right secret gives a valid signature', async () => {
    const { code, stdout } = await run(['verify', '--server', base, '--request', id, '--secret', secret]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^✓ valid {2}zendesk/);
    expect(stdout).not.toContain(secret);
  });

  it('says a wrong secret gives an invalid one, with the reason', async () => {
    const { code, stdout } = await run(['verify', '--server', base, '--request', id, '--secret', 'wrong']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^✗ invalid {2}zendesk/);
    expect(stdout).toMatch(/error: /);
  });

  it('prints the API shape with --json', async () => {
    const { code, stdout } = await run(['verify', '--server', base, '--request', id, '--secret', secret, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ signatures: [{ scheme: 'zendesk', status: 'valid' }] });
  });

  it('explains bad command lines and unreachable servers', async () => {
    expect((await run(['verify', '--request', id])).code).toBe(2);
    expect((await run(['verify', '--secret', 's'])).stderr).toMatch(/--request <id> is required/);
    expect((await run(['verify', '--request', id, '--secret', 's', '--bogus'])).code).toBe(2);
    const scheme = await run(['verify', '--request', id, '--secret', 's', '--scheme', 'paypal']);
    expect(scheme).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown --scheme "paypal"; one of zendesk, github, stripe, slack, shopify, standard-webhooks, twilio, intercom') });
    expect((await run(['verify', '--help'])).stdout).toContain('check only this scheme: zendesk, github, stripe, slack, shopify, standard-webhooks, twilio, intercom');
    const missing = await run(['verify', '--server', base, '--request', '999999', '--secret', 's']);
    expect(missing).toMatchObject({ code: 2, stderr: 'authbin verify: no request with id 999999\n' });
    const unreachable = await run(['verify', '--server', 'http://127.0.0.1:1', '--request', id, '--secret', 's']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:1/);
  });
});
