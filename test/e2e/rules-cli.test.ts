import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';

const cliPath = join(import.meta.dirname, '..', '..', 'dist', 'server', 'cli', 'main.js');
const email = 'me@example.com';
const token = 'e2e-zendesk-token-Wq81Rz';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

/** The built `authbin` with `stdin` piped in, as a shell would run it. */
function authbin(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cliPath, ...args], { env: { PATH: process.env.PATH ?? '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const curl = (args: string[]) => promisify(execFile)('curl', ['-s', '-i', ...args]);

describe('authbin rules, the built command against a running server', () => {
  it('applies the Zendesk preset with the token from stdin: curl gets 401 with the reason, then 200', async () => {
    const applied = await authbin(['rules', 'preset', 'zendesk', '--bin', 'zd', '--email', email, '--token-stdin', '--server', server.url], `${token}\n`);
    expect(applied).toEqual({ code: 0, stdout: 'Bin zd has 2 rules:\n  1. Zendesk API: 401, answered 0\n  2. Zendesk API: authenticated: 200, answered 0\n', stderr: '' });

    const wrong = await curl(['-u', `${email}/token:${token}x`, `${server.url}/b/zd/api/v2/users/me.json`]);
    expect(wrong.stdout).toMatch(/^HTTP\/1\.1 401 /);
    expect(wrong.stdout).toMatch(/^x-authbin-reason: .+/im);
    expect(wrong.stdout).toContain(`{"error":"Couldn't authenticate you"}`);
    const right = await curl(['-u', `${email}/token:${token}`, `${server.url}/b/zd/api/v2/users/me.json`]);
    expect(right.stdout).toMatch(/^HTTP\/1\.1 200 /);
    expect(right.stdout).toContain(`"email":"${email}"`);

    const got = await authbin(['rules', 'get', '--bin', 'zd', '--server', server.url], '');
    expect(got.code).toBe(0);
    expect(got.stdout).not.toContain(token);
    expect(JSON.parse(got.stdout).rules.map((rule: { answered: number }) => rule.answered)).toEqual([1, 1]);
    const reset = await authbin(['rules', 'reset', '--bin', 'zd', '--server', server.url], '');
    expect(reset.stdout).toContain('1. Zendesk API: 401, answered 0\n');
    expect(server.output()).not.toContain(token.slice(0, 12));
  });

  it('prints the field the server refuses and exits 1', async () => {
    const refused = await authbin(['rules', 'set', '--bin', 'zd', '--file', '-', '--server', server.url], JSON.stringify({ rules: [{ when: [{ pathRegex: '(' }], respond: {} }] }));
    expect(refused).toEqual({ code: 1, stdout: '', stderr: 'authbin rules: rules[0].when[0].pathRegex: invalid regular expression\n' });
  });
});
