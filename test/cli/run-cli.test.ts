/** `authbin` itself: the command list, the version, and what no command means. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../../server/cli/run-cli.ts';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    readStdin: async () => '',
    stdinIsTerminal: true,
    now: () => Date.now(),
  });
  return { code, out, err };
}

test('--version prints the version of the package', async () => {
  const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  expect(await cli('--version')).toEqual({ code: 0, out: `${version}\n`, err: '' });
});

test('--help lists serve (the default) beside the other commands', async () => {
  const { code, out } = await cli('--help');
  expect(code).toBe(0);
  for (const name of ['serve', 'decode', 'sign', 'verify', 'forward', 'diff']) expect(out).toMatch(new RegExp(`^  ${name} `, 'm'));
  expect(out).toContain('"authbin --port 9000" is "authbin serve --port 9000"');
});

test('an unknown command is a usage error', async () => {
  const { code, err } = await cli('serv');
  expect(code).toBe(2);
  expect(err).toMatch(/^authbin: unknown command "serv"/);
});
