/** `authbin sign`, run in-process: the headers it prints are what a sender computes with node:crypto. */
import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runSign } from '../../server/cli/sign.ts';

let dir: string;
let bodyFile: string;
const body = '{"ticket":{"id":35436,"subject":"Printer on fire"}}';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'authbin-sign-'));
  bodyFile = join(dir, 'body.json');
  await writeFile(bodyFile, body);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function sign(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runSign(argv, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

test('zendesk: prints the signature and timestamp headers Zendesk would send', async () => {
  const secret = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
  const timestamp = '2024-05-01T12:00:00Z';
  const result = await sign('--scheme', 'zendesk', '--secret', secret, '--body-file', bodyFile, '--timestamp', timestamp);
  expect(result).toEqual({
    code: 0,
    err: '',
    out:
      `X-Zendesk-Webhook-Signature: ${createHmac('sha256', secret).update(timestamp + body).digest('base64')}\n` +
      `X-Zendesk-Webhook-Signature-Timestamp: ${timestamp}\n`,
  });
});

test('zendesk: without --timestamp, the current time in ISO-8601 UTC is signed', async () => {
  const before = Math.floor(Date.now() / 1000) * 1000;
  const { code, out } = await sign('--scheme', 'zendesk', '--secret', 's3cret', '--body-file', bodyFile);
  expect(code).toBe(0);
  const timestamp = /X-Zendesk-Webhook-Signature-Timestamp: (\S+)/.exec(out)?.[1] ?? '';
  expect(timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  expect(Date.parse(timestamp)).toBeGreaterThanOrEqual(before);
  expect(out).toContain(`X-Zendesk-Webhook-Signature: ${createHmac('sha256', 's3cret').update(timestamp + body).digest('base64')}\n`);
});

test('github: prints both the SHA-256 and the legacy SHA-1 header', async () => {
  const { code, out } = await sign('--scheme=github', '--secret=hush', `--body-file=${bodyFile}`);
  expect(code).toBe(0);
  expect(out).toBe(
    `X-Hub-Signature-256: sha256=${createHmac('sha256', 'hush').update(body).digest('hex')}\n` +
      `X-Hub-Signature: sha1=${createHmac('sha1', 'hush').update(body).digest('hex')}\n`,
  );
});

test('--secret-file keeps the secret off the command line; its trailing newline is not part of it', async () => {
  const secretFile = join(dir, 'secret.txt');
  await writeFile(secretFile, 'file-secret\n');
  const { code, out } = await sign('--scheme', 'shopify', '--secret-file', secretFile, '--body-file', bodyFile);
  expect(code).toBe(0);
  expect(out).toBe(`X-Shopify-Hmac-Sha256: ${createHmac('sha256', 'file-secret').update(body).digest('base64')}\n`);
});

test('--curl prints a command that posts the body with the headers to --url', async () => {
  const { code, out } = await sign('--scheme', 'github', '--secret', 'hush', '--body-file', bodyFile, '--url', 'http://127.0.0.1:8787/b/abc', '--curl');
  expect(code).toBe(0);
  expect(out).toContain(`--data-binary @${bodyFile}`);
  expect(out).toContain(`-H 'Content-Type: application/json'`);
  expect(out).toContain(`-H 'X-Hub-Signature-256: sha256=${createHmac('sha256', 'hush').update(body).digest('hex')}'`);
  expect(out.trimEnd().endsWith('http://127.0.0.1:8787/b/abc')).toBe(true);
});

test('twilio without --url fails with a reason (Twilio signs the URL)', async () => {
  const { code, out, err } = await sign('--scheme', 'twilio', '--secret', 'token', '--body-file', bodyFile);
  expect(code).toBe(1);
  expect(out).toBe('');
  expect(err).toContain('signs the URL');
});

test('twilio: a JSON body must be hashed into the URL, and the error gives the hash', async () => {
  const { code, err } = await sign('--scheme', 'twilio', '--secret', 'token', '--body-file', bodyFile, '--url', 'https://example.com/hook');
  expect(code).toBe(1);
  const { createHash } = await import('node:crypto');
  expect(err).toContain(`bodySHA256=${createHash('sha256').update(body).digest('hex')}`);
});

test.each([
  [['--secret', 's', '--body-file', 'x'], '--scheme is required'],
  [['--scheme', 'paypal', '--secret', 's', '--body-file', 'x'], 'unknown scheme "paypal"'],
  [['--scheme', 'github', '--body-file', 'x'], '--secret or --secret-file is required'],
  [['--scheme', 'github', '--secret', '', '--body-file', 'x'], 'the secret is empty'],
  [['--scheme', 'github', '--secret', 's'], '--body-file is required'],
  [['--scheme', 'github', '--secret', 's', '--body-file', 'x', '--bogus'], "Unknown option '--bogus'"],
])('bad usage %j exits 2 with the reason and the usage', async (argv, reason) => {
  const { code, out, err } = await sign(...argv);
  expect(code).toBe(2);
  expect(out).toBe('');
  expect(err).toContain(reason);
  expect(err).toContain('Usage: authbin sign');
});

test('an unreadable body file exits 1 and names the file', async () => {
  const missing = join(dir, 'missing.json');
  const { code, err } = await sign('--scheme', 'github', '--secret', 's', '--body-file', missing);
  expect(code).toBe(1);
  expect(err).toContain(`cannot read the body file ${missing}: ENOENT`);
});

test('--help prints the usage and exits 0', async () => {
  const { code, out } = await sign('--help');
  expect(code).toBe(0);
  expect(out).toContain('--scheme S');
  expect(out).toContain('standard-webhooks');
});
