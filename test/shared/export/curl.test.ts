import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curlCommand, type ExportableRequest } from '../../../shared/export/index.ts';
import { bodyOf, storedRequest } from './arbitraries.ts';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from '../../helpers/recording-server.ts';
import { run } from './run-code.ts';

let server: RecordingServer;
let dir: string;
beforeAll(async () => {
  server = await startRecordingServer();
  dir = mkdtempSync(join(tmpdir(), 'authbin-curl-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the command with bash (the binary body file saved beside it, as the comment says) and returns what arrived. */
async function sendWithCurl(request: ExportableRequest, url = `${server.url}/base`): Promise<{ code: string; received: RecordedRequest }> {
  const code = curlCommand(request, { url });
  writeFileSync(join(dir, `request-${request.id}.bin`), bodyOf(request));
  await run('bash', ['-c', code], dir);
  return { code, received: await server.next() };
}

function expectedTarget(request: ExportableRequest): string {
  return `/base${request.path === '/' ? '' : request.path}${request.query ? `?${request.query}` : ''}`;
}

const withoutHost = (headers: [string, string][]) => headers.filter(([name]) => name.toLowerCase() !== 'host');
const asUtf8 = (headers: [string, string][]) => headers.map(([name, value]) => [name, Buffer.from(value, 'latin1').toString('utf8')]);

describe('curlCommand run by bash against a real server', () => {
  it('sends the same method, path, query, headers (case, order, duplicates) and body bytes', async () => {
    await fc.assert(
      fc.asyncProperty(storedRequest(), async (request) => {
        const { code, received } = await sendWithCurl(request);
        expect(received.method, code).toBe(request.method);
        expect(received.url, code).toBe(expectedTarget(request));
        expect(received.headers[0], code).toEqual(['Host', server.host]);
        expect(received.headers.slice(1), code).toEqual(withoutHost(request.headers));
        expect(received.body.equals(bodyOf(request)), code).toBe(true);
      }),
      { numRuns: 30 },
    );
  }, 90_000);

  it('sends non-ASCII header values as their UTF-8 bytes', async () => {
    await fc.assert(
      fc.asyncProperty(storedRequest({ unicodeHeaders: true }), async (request) => {
        const { code, received } = await sendWithCurl(request);
        expect(asUtf8(received.headers.slice(1)), code).toEqual(withoutHost(request.headers));
      }),
      { numRuns: 10 },
    );
  }, 90_000);

  const base = { id: '12', bin: 'demo', method: 'POST', path: '/hook', query: '' };
  const body = (bytes: Buffer, text?: string) => ({ size: bytes.length, truncated: false, base64: bytes.toString('base64'), ...(text !== undefined && { text }) });

  it('reads a binary body from request-<id>.bin and says where to download it', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const request = { ...base, headers: [['Content-Length', '256']] as [string, string][], body: body(bytes) };
    const code = curlCommand(request, { url: 'https://authbin.example/b/demo' });
    expect(code).toContain('--data-binary @request-12.bin');
    expect(code).toContain('# The body (256 bytes) is read from request-12.bin');
    expect(code).toContain('#   curl -o request-12.bin "https://authbin.example/api/requests/12/body"');
    const { received } = await sendWithCurl(request);
    expect(received.body.equals(bytes)).toBe(true);
  });

  it('sends a text body starting with "@" as text, not as a file name', async () => {
    const text = '@/etc/passwd';
    const request = { ...base, headers: [['Content-Length', String(text.length)]] as [string, string][], body: body(Buffer.from(text), text) };
    expect(curlCommand(request, { url: 'http://x' })).toContain(`--data-raw '@/etc/passwd'`);
    const { received } = await sendWithCurl(request);
    expect(received.body.toString()).toBe(text);
  });

  it('sends the stored part of a truncated body with a matching Content-Length, and warns', async () => {
    const stored = Buffer.from('{"cut":');
    const request = { ...base, headers: [['Content-Length', '5000']] as [string, string][], body: { ...body(stored, stored.toString()), size: 5000, truncated: true } };
    const { code, received } = await sendWithCurl(request);
    expect(code.split('\n')[0]).toBe('# The body was truncated when captured: this sends only its first 7 of 5000 bytes.');
    expect(received.headers).toContainEqual(['Content-Length', '7']);
    expect(received.body.equals(stored)).toBe(true);
  });

  it('keeps invisible characters visible in the command', () => {
    const text = 'token\u200b\r\n';
    const request = { ...base, headers: [], body: body(Buffer.from(text), text) };
    expect(curlCommand(request, { url: 'http://x' })).toContain(`--data-binary $'token\\xe2\\x80\\x8b\\r\\n'`);
  });

  it('uses --head for HEAD and no -X for a plain GET', () => {
    const empty = body(Buffer.alloc(0), '');
    expect(curlCommand({ ...base, method: 'HEAD', headers: [], body: empty }, { url: 'http://x' })).toMatch(/^curl --head 'http:\/\/x\/hook'/);
    expect(curlCommand({ ...base, method: 'GET', headers: [], body: empty }, { url: 'http://x' })).toMatch(/^curl 'http:\/\/x\/hook'/);
  });
});
