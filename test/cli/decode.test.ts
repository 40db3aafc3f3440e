import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/run-cli.ts';

const email = 'jdoe@example.com';
const token = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
const docHeader = 'Basic amRvZUBleGFtcGxlLmNvbS90b2tlbjo2d2lJQldiR2tCTW8xbVJETXVWd2t3MUVQc05rZVVqOTVQSXoyYWt2';

/** Runs `authbin <argv>` in-process with the given standard input; returns its exit code and output. */
async function authbin(argv: string[], stdin?: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => stdin ?? '',
    stdinIsTerminal: stdin === undefined,
    now: () => Date.parse('2025-06-01T12:00:00Z'),
  });
  return { code, stdout, stderr };
}

// The support article's PowerShell example, with the UTF-16 that [Text.Encoding]::Unicode gives.
const powershellHeader = `Basic ${execFileSync('sh', ['-c', `printf '%s' '${email}/token:${token}' | iconv -f UTF-8 -t UTF-16LE | base64 -w0`], { encoding: 'utf8' })}`;

describe('authbin decode', () => {
  it('says in one sentence that a PowerShell header was encoded as UTF-16, and how to fix it', async () => {
    const { code, stdout } = await authbin(['decode', powershellHeader]);
    expect(code).toBe(1);
    expect(stdout).toContain("error   utf16: The credentials were encoded as UTF-16 (as PowerShell's [Text.Encoding]::Unicode does) instead of UTF-8");
    expect(stdout).toContain('Fix: Encode the text as UTF-8: [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(');
    expect(stdout).toContain('encoding  UTF-16LE (should be UTF-8)');
  });

  it('shows a correct header decoded, the token masked, and exits 0', async () => {
    const { code, stdout } = await authbin(['decode', docHeader]);
    expect(code).toBe(0);
    expect(stdout).toContain('login     API token (email/token)');
    expect(stdout).toContain(`email     "${email}"`);
    expect(stdout).toContain('token     ••••••••2akv (40 characters)');
    expect(stdout).toContain('✓ No problems found.');
    expect(stdout).not.toContain(token);
  });

  it('shows the secret with --reveal, line breaks spelt out', async () => {
    const { stdout } = await authbin(['decode', `Basic ${Buffer.from(`${email}/token:${token}\n`).toString('base64')}`, '--reveal']);
    expect(stdout).toContain(`token     "${token}\\n" (41 characters)`);
  });

  it('compares with --email and --expect-token, naming the part that differs', async () => {
    const { code, stdout } = await authbin(['decode', `Basic ${Buffer.from(`${email}/token:${token}\n`).toString('base64')}`, '--email', email, '--expect-token', token]);
    expect(code).toBe(1);
    expect(stdout).toContain('Compared with the expected API token: DIFFERENT ✗');
    expect(stdout).toContain('- secret: the API token differs: 40 characters expected, 41 received; they first differ at character 41 (received has a trailing newline)');
  });

  it('reports MATCH and exits 0 when the credentials are the expected ones', async () => {
    const { code, stdout } = await authbin(['decode', docHeader, '--email', email, '--expect-token', token]);
    expect(stdout).toContain('Compared with the expected API token: MATCH ✓');
    expect(code).toBe(0);
  });

  it('compares with --expect-password, --expect-oauth and --expect-header', async () => {
    expect((await authbin(['decode', `Basic ${Buffer.from(`${email}:pw`).toString('base64')}`, '--email', email, '--expect-password', 'pw'])).code).toBe(0);
    expect((await authbin(['decode', 'Bearer abc123', '--expect-oauth', 'abc123'])).code).toBe(0);
    const header = await authbin(['decode', 'Bearer abc124', '--expect-header', 'Authorization: Bearer abc123']);
    expect(header.code).toBe(1);
    expect(header.stdout).toContain('- secret: the token differs: both are 6 characters; they first differ at character 6');
  });

  it('prints the API shape with --json', async () => {
    const { code, stdout } = await authbin(['decode', docHeader, '--json', '--email', email, '--expect-token', token]);
    expect(code).toBe(0);
    const analysis = JSON.parse(stdout);
    expect(analysis).toMatchObject({ present: true, scheme: 'basic', schemeRaw: 'Basic', findings: [], comparison: { match: true, differences: [] } });
    expect(analysis.basic).toMatchObject({ kind: 'api-token', email, encoding: 'utf-8' });
  });

  it('reads the header from standard input, as a header line or a raw request', async () => {
    const line = await authbin(['decode', '-'], `Authorization: ${docHeader}\n`);
    expect(line.stdout).toContain('✓ No problems found.');
    const request = await authbin(['decode'], `GET /api/v2/users/me.json?api_token=x HTTP/1.1\nHost: acme.zendesk.com\n\n`);
    expect(request.code).toBe(1);
    expect(request.stdout).toContain('No Authorization header.');
    expect(request.stdout).toContain('credentials-in-url');
  });

  it('reads input as the decode page does: a base64 wrapped by `base64` stays one header, "Basic: …" is a value', async () => {
    const wrapped = execFileSync('sh', ['-c', `printf '%s' '${email}/token:${token}' | base64`], { encoding: 'utf8' });
    const piped = await authbin(['decode', '-'], `Authorization: Basic ${wrapped}`);
    expect(piped.stdout).toContain('error   whitespace: The header value has a line break at character 83 (base64 wraps its output every 76 characters');
    const colon = await authbin(['decode', `Basic: ${docHeader.slice(6)}`]);
    expect(colon.stdout).toContain('The scheme is followed by punctuation ("Basic:")');
  });

  it('prints the correct header and snippets with --snippets', async () => {
    const { stdout } = await authbin(['decode', powershellHeader, '--email', email, '--expect-token', token, '--snippets']);
    expect(stdout).toContain(`The correct header:\n  Authorization: ${docHeader}`);
    expect(stdout).toContain(`curl -u '${email}/token:${token}'`);
    expect(stdout).toContain('[Text.Encoding]::UTF8.GetBytes($pair)');
  });

  it('judges JWT expiry at --now', async () => {
    const jwt = ['{"alg":"HS256"}', '{"exp":1750000000}'].map((part) => Buffer.from(part).toString('base64url')).join('.') + '.sig';
    expect((await authbin(['decode', `Bearer ${jwt}`, '--now', '2025-06-01T00:00:00Z'])).code).toBe(0);
    const later = await authbin(['decode', `Bearer ${jwt}`, '--now', '2025-07-01T00:00:00Z']);
    expect(later.code).toBe(1);
    expect(later.stdout).toContain('jwt-expired');
  });

  it.each([
    [['decode', docHeader, '--expect-token', token], '--expect-token needs --email'],
    [['decode', docHeader, '--email', email], '--email goes with --expect-token or --expect-password'],
    [['decode', docHeader, '--expect-oauth', 'a', '--expect-header', 'b'], 'give only one of --expect-oauth, --expect-header'],
    [['decode', 'Basic', 'abc'], 'give one header; quote it'],
    [['decode', docHeader, '--now', 'yesterday'], '--now must be a date and time'],
    [['decode', docHeader, '--colour'], "Unknown option '--colour'"],
    [['decode'], 'give a header to decode, or pipe one in'],
  ])('rejects a bad command line %j with exit 2 and a clear message', async (argv, message) => {
    const { code, stderr, stdout } = await authbin(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('Run "authbin decode --help" for usage.');
    expect(stdout).toBe('');
  });
});

describe('authbin', () => {
  it('lists its commands, and rejects unknown ones', async () => {
    const help = await authbin(['help']);
    expect(help.stdout).toContain('decode     explain an Authorization header');
    expect(help.stdout).toContain('sign       print the signature headers');
    const unknown = await authbin(['decrypt']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('authbin: unknown command "decrypt"');
  });

  it('shows the decode options with --help', async () => {
    const { code, stdout } = await authbin(['decode', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--expect-token <api_token>');
  });
});
