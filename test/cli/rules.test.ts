import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RulesResponse } from '../../shared/rules/types.ts';
import { runCli } from '../../server/cli/run-cli.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let base: string;
const folder = mkdtempSync(join(tmpdir(), 'authbin-rules-cli-'));
const token = 'zd-api-token-7Hq2xWv9';
beforeAll(async () => {
  t = makeTestApp();
  base = await t.listen();
});
afterAll(async () => {
  await t.close();
  rmSync(folder, { recursive: true, force: true });
});

async function run(args: string[], stdin?: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['rules', ...args, '--server', base], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readStdin: async () => stdin ?? '',
    stdinIsTerminal: stdin === undefined,
    now: () => Date.now(),
  });
  return { code, stdout, stderr };
}

const rulesOf = async (bin: string) => ((await (await fetch(`${base}/api/bins/${bin}/rules`)).json()) as RulesResponse).rules;

describe('authbin rules', () => {
  it('applies the Zendesk preset with the token read from stdin, and prints it back masked', async () => {
    const preset = await run(['preset', 'zendesk', '--bin', 'cli-zd', '--email', 'me@example.com', '--token-stdin'], `${token}\n`);
    expect(preset).toEqual({ code: 0, stdout: 'Bin cli-zd has 2 rules:\n  1. Zendesk API: 401, answered 0\n  2. Zendesk API: authenticated: 200, answered 0\n', stderr: '' });
    const got = await run(['get', '--bin', 'cli-zd']);
    expect(got.code).toBe(0);
    expect(got.stdout).not.toContain(token);
    const printed = JSON.parse(got.stdout) as RulesResponse;
    expect(printed.rules[0]!.when).toEqual([{ credentials: { kind: 'api-token', email: 'me@example.com', token: '••••••••xWv9 (21 characters)' }, not: true }]);
    expect(printed).toEqual({ rules: await rulesOf('cli-zd') });
  });

  it('takes the password and OAuth forms, and refuses a secret from a terminal or one form too many', async () => {
    expect((await run(['preset', 'zendesk', '--bin', 'cli-pw', '--email', 'me@example.com', '--password-stdin'], 'pw-secret-123\r\n')).code).toBe(0);
    expect((await rulesOf('cli-pw'))[0]!.when).toEqual([{ credentials: { kind: 'password', email: 'me@example.com', password: '••••••••-123 (13 characters)' }, not: true }]);
    expect((await run(['preset', 'basic', '--bin', 'cli-oauth', '--oauth-stdin'], 'oauth-token-abcdef123')).code).toBe(0);
    expect((await rulesOf('cli-oauth'))[0]!.when).toEqual([{ credentials: { kind: 'oauth', token: '••••••••f123 (21 characters)' }, not: true }]);

    const fromTerminal = await run(['preset', 'zendesk', '--bin', 'cli-x', '--email', 'me@example.com', '--token-stdin']);
    expect(fromTerminal.code).toBe(2);
    expect(fromTerminal.stderr).toMatch(/--token-stdin reads the secret from standard input: pipe it in/);
    const both = await run(['preset', 'zendesk', '--bin', 'cli-x', '--email', 'me@example.com', '--token-stdin', '--oauth-stdin'], token);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/one of --token-stdin, --password-stdin/);
    const noEmail = await run(['preset', 'zendesk', '--bin', 'cli-x', '--token-stdin'], token);
    expect(noEmail.stderr).toMatch(/--token-stdin needs --email/);
    expect((await fetch(`${base}/api/bins/cli-x`)).status).toBe(404);
  });

  it('applies retry and flaky, and appends with --append keeping the secret stored before', async () => {
    await run(['preset', 'zendesk', '--bin', 'cli-seq', '--email', 'me@example.com', '--token-stdin'], token);
    const before = (await t.store.compiledRules('cli-seq')).stored;
    const retry = await run(['preset', 'retry', '--bin', 'cli-seq', '--count', '2', '--retry-after', '7', '--append']);
    expect(retry.stdout).toContain('  3. Retry 429 (2×): 429, answered 0 of 2\n');
    const after = (await t.store.compiledRules('cli-seq')).stored;
    expect(after.slice(0, 2).map((rule) => rule.secrets)).toEqual(before.map((rule) => rule.secrets));
    expect(after[2]!.rule.respond).toEqual({ status: 429, headers: { 'Retry-After': '7' }, body: 'Too many requests\n' });

    const flaky = await run(['preset', 'flaky', '--bin', 'cli-seq', '--count', '3', '--json']);
    expect((JSON.parse(flaky.stdout) as RulesResponse).rules.map((rule) => [rule.respond.status, rule.times])).toEqual([[503, 3]]);
    expect((await run(['preset', 'flaky', '--bin', 'cli-seq', '--count', '0'])).stderr).toMatch(/--count must be a whole number, 1 or more/);
    expect((await run(['preset', 'flaky', '--bin', 'cli-seq', '--count', '2', '--retry-after', '5'])).stderr).toMatch(/--retry-after does not go with the flaky preset/);
  });

  it('sets rules from a file or stdin, and prints the field the server refuses with exit status 1', async () => {
    const file = join(folder, 'rules.json');
    writeFileSync(file, JSON.stringify({ rules: [{ name: 'teapot', when: [{ method: 'POST' }], respond: { status: 418 } }] }));
    expect((await run(['set', '--bin', 'cli-set', '--file', file])).stdout).toBe('Bin cli-set has 1 rule:\n  1. teapot: 418, answered 0\n');
    const bare = await run(['set', '--bin', 'cli-set', '--file', '-'], JSON.stringify([{ when: [], respond: { status: 202 } }, { when: [], respond: {} }]));
    expect(bare.stdout).toBe("Bin cli-set has 2 rules:\n  1. (no name): 202, answered 0\n  2. (no name): the bin's status, answered 0\n");

    const refused = await run(['set', '--bin', 'cli-set', '--file', '-'], JSON.stringify({ rules: [{ when: [{ header: { name: 'x', matches: '(' } }], respond: {} }] }));
    expect(refused).toEqual({ code: 1, stdout: '', stderr: 'authbin rules: rules[0].when[0].header.matches: invalid regular expression\n' });
    expect((await rulesOf('cli-set')).length).toBe(2);
    const notJson = await run(['set', '--bin', 'cli-set', '--file', '-'], '{rules');
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/^authbin rules: standard input is not JSON: /);
    expect((await run(['set', '--bin', 'cli-set', '--file', join(folder, 'missing.json')])).stderr).toMatch(/cannot read .*missing\.json: ENOENT/);
  });

  it('resets the counters', async () => {
    await run(['preset', 'flaky', '--bin', 'cli-reset', '--count', '2']);
    expect((await fetch(`${base}/b/cli-reset`)).status).toBe(503);
    expect((await rulesOf('cli-reset'))[0]!.answered).toBe(1);
    expect((await run(['reset', '--bin', 'cli-reset'])).stdout).toBe('Bin cli-reset has 1 rule:\n  1. Flaky 503 (2×): 503, answered 0 of 2\n');
    expect((await rulesOf('cli-reset'))[0]!.answered).toBe(0);
  });

  it('says what is wrong with the command line, and when the server cannot be reached', async () => {
    expect((await run(['get'])).stderr).toMatch(/--bin <name> is required/);
    expect((await run(['frob', '--bin', 'x'])).stderr).toMatch(/give what to do: get, set, reset, preset/);
    expect((await run(['preset', 'nope', '--bin', 'x'])).stderr).toMatch(/give the preset: zendesk, basic, retry, flaky/);
    expect((await run(['get', '--bin', 'x', '--count', '2'])).stderr).toMatch(/--count goes with preset/);
    expect((await run(['set', '--bin', 'x'])).stderr).toMatch(/--file <file> is required/);
    let stderr = '';
    const code = await runCli(['rules', 'get', '--bin', 'x', '--server', 'http://127.0.0.1:1'], { stdout: () => {}, stderr: (text) => (stderr += text), readStdin: async () => '', stdinIsTerminal: true, now: Date.now });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^authbin rules: cannot reach http:\/\/127\.0\.0\.1:1: /);
  });
});
