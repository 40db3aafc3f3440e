import { execFile, execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, canonicalHeader, snippets } from '../../../shared/auth/index.ts';
import type { Expected } from '../../../shared/auth/types.ts';
import { docEmail, docHeader, docToken } from './make-credentials.ts';

const run = promisify(execFile);

// The Authorization header of every request the listener receives, in order.
const received: (string | undefined)[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    received.push(request.headers.authorization ?? (request.headers['x-api-key'] as string | undefined));
    response.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2/users/me.json`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function snippet(expected: Expected, label: string): string {
  const code = snippets(expected, url).find((s) => s.label === label)?.code;
  if (code === undefined) throw new Error(`no ${label} snippet`);
  return code;
}

async function sentBy(command: string, args: string[]): Promise<string | undefined> {
  const before = received.length;
  await run(command, args, { timeout: 10_000 });
  expect(received.length).toBe(before + 1);
  return received.at(-1);
}

const hasPythonRequests = (() => {
  try {
    execFileSync('python3', ['-c', 'import requests'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// A non-ASCII password and a quote check that every tool sends UTF-8 and survives quoting.
const credentials: [string, Expected][] = [
  ['API token', { kind: 'api-token', email: docEmail, token: docToken }],
  ['password with a quote and non-ASCII', { kind: 'password', email: docEmail, password: "it's £5 über" }],
  ['OAuth token', { kind: 'oauth', token: 'a3f1c9e07b5d4e2f8a6c1b9d0e7f3a5c' }],
  ['API key header', { kind: 'api-key', header: 'X-Api-Key', value: 'k-1234' }],
];

describe.each(credentials)('snippets for an %s send exactly the correct header', (_name, expected) => {
  const correct = canonicalHeader(expected).value;

  it('curl', async () => {
    expect(await sentBy('sh', ['-c', snippet(expected, 'curl')])).toBe(correct);
  });

  it('POSIX shell', async () => {
    expect(await sentBy('sh', ['-c', snippet(expected, 'Shell')])).toBe(correct);
  });

  it('Node fetch', async () => {
    expect(await sentBy(process.execPath, ['--input-type=module', '-e', snippet(expected, 'Node')])).toBe(correct);
  });

  it.skipIf(!hasPythonRequests)('Python requests', async () => {
    expect(await sentBy('python3', ['-c', snippet(expected, 'Python')])).toBe(correct);
  });

  it('PowerShell encodes as UTF-8, never as UTF-16 ([Text.Encoding]::Unicode)', () => {
    const code = snippet(expected, 'PowerShell');
    expect(code).not.toMatch(/Encoding\]::Unicode/);
    if (expected.kind === 'password' || expected.kind === 'api-token') expect(code).toContain('[Text.Encoding]::UTF8.GetBytes');
  });
});

describe('canonicalHeader', () => {
  it("builds the Zendesk docs' example header", () => {
    expect(canonicalHeader({ kind: 'api-token', email: docEmail, token: docToken })).toEqual({ name: 'Authorization', value: docHeader });
  });

  it('is a header the analysis finds nothing wrong with', () => {
    const { name, value } = canonicalHeader({ kind: 'password', email: docEmail, password: 'pässwort' });
    expect(analyze({ headers: [[name, value]] }).findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});
