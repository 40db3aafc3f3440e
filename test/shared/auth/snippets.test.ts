import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, canonicalHeader, snippets } from '../../../shared/auth/index.ts';
import type { Expected } from '../../../shared/auth/types.ts';
import { headerOf, startRecordingServer, type RecordingServer } from '../../helpers/recording-server.ts';
import { docEmail, docHeader, docToken } from './make-credentials.ts';

const run = promisify(execFile);

let server: RecordingServer;
let url: string;

beforeAll(async () => {
  server = await startRecordingServer((response) => response.end('{"ok":true}'));
  url = `${server.url}/api/v2/users/me.json`;
});

afterAll(() => server.close());

function snippet(expected: Expected, label: string): string {
  const code = snippets(expected, url).find((s) => s.label === label)?.code;
  if (code === undefined) throw new Error(`no ${label} snippet`);
  return code;
}

/** The credentials header (Authorization, or else X-Api-Key) of the one request the command sent. */
async function sentBy(command: string, args: string[]): Promise<string | undefined> {
  const before = server.received.length;
  await run(command, args, { timeout: 10_000 });
  expect(server.received.length).toBe(before + 1);
  const request = server.received.at(-1)!;
  return headerOf(request, 'authorization') ?? headerOf(request, 'x-api-key');
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
