import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSnippet, headersToRepeat, httpieCommand, pythonSnippet, requestSnippets, targetUrl, type ExportableRequest } from '../../../shared/export/index.ts';
import { bodyOf, storedRequest } from './arbitraries.ts';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from '../../helpers/recording-server.ts';
import { run } from './run-code.ts';

let server: RecordingServer;
let dir: string;
beforeAll(async () => {
  server = await startRecordingServer();
  dir = mkdtempSync(join(tmpdir(), 'authbin-snippets-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Header values by lower-cased name, as one value per name (what libraries that merge repeats send; Cookie joins with "; "). */
function joinedValues(headers: [string, string][], decode = (value: string) => value): Map<string, string> {
  const values = new Map<string, string[]>();
  for (const [name, value] of headers) values.set(name.toLowerCase(), [...(values.get(name.toLowerCase()) ?? []), decode(value)]);
  return new Map([...values].map(([name, list]) => [name, list.join(name === 'cookie' ? '; ' : ', ')]));
}

function expectSameHeaderValues(request: ExportableRequest, received: RecordedRequest, code: string) {
  const sent = joinedValues(received.headers, (value) => Buffer.from(value, 'latin1').toString('utf8'));
  // Joined empty values ("a, ") lose their trailing blank on the wire: HTTP parsers trim values.
  for (const [name, value] of joinedValues(headersToRepeat(request))) expect(sent.get(name), `${name} in\n${code}`).toBe(value.trim());
}

const hasBody = (request: ExportableRequest) => !/^(GET|HEAD)$/.test(request.method);

describe('fetchSnippet run by Node against a real server', () => {
  it('sends the method, URL, header values and body bytes', async () => {
    await fc.assert(
      fc.asyncProperty(storedRequest({ unicodeHeaders: true }), async (request) => {
        // Node's own fetch (undici) silently drops a header named __proto__: not the snippet's doing.
        fc.pre(!request.headers.some(([name]) => name.toLowerCase() === '__proto__'));
        const code = fetchSnippet(request, { url: `${server.url}/base` });
        await run(process.execPath, ['--input-type=module', '-e', code], dir);
        const received = await server.next();
        expect(received.method, code).toBe(request.method);
        // fetch sends the URL as the WHATWG parser normalises it (dot segments, some escapes).
        const url = new URL(targetUrl(`${server.url}/base`, request));
        expect(received.url, code).toBe(url.pathname + url.search);
        expectSameHeaderValues(request, received, code);
        expect(received.body.equals(hasBody(request) ? bodyOf(request) : Buffer.alloc(0)), code).toBe(true);
      }),
      { numRuns: 12 },
    );
  }, 90_000);

  it('reads a large body from a file and leaves a GET body out, saying so', () => {
    const large = Buffer.alloc(70_000, 1);
    const request = { id: '9', bin: 'demo', method: 'PUT', path: '/', query: '', headers: [], body: { size: large.length, truncated: false, base64: large.toString('base64') } };
    const code = fetchSnippet(request, { url: 'http://authbin.local/b/demo' });
    expect(code).toContain('import { readFile } from "node:fs/promises";');
    expect(code).toContain('body: await readFile("request-9.bin"),');
    expect(code).toContain('//   curl -o request-9.bin "http://authbin.local/api/requests/9/body"');
    const get = fetchSnippet({ ...request, method: 'GET' }, { url: 'http://x' });
    expect(get).toContain('// fetch cannot send a body with GET: the 70000-byte body is left out.');
    expect(get).not.toContain('body:');
  });
});

function pythonHasRequests(): boolean {
  try {
    execFileSync('python3', ['-c', 'import requests'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('pythonSnippet', () => {
  it.skipIf(!pythonHasRequests())('run by Python requests, sends the method, header values and body bytes', async () => {
    await fc.assert(
      fc.asyncProperty(storedRequest({ unicodeHeaders: true }), async (request) => {
        const code = pythonSnippet(request, { url: `${server.url}/base` });
        writeFileSync(join(dir, `request-${request.id}.bin`), bodyOf(request));
        await run('python3', ['-c', code], dir);
        const received = await server.next();
        expect(received.method, code).toBe(request.method);
        expectSameHeaderValues(request, received, code);
        expect(received.body.equals(request.method === 'HEAD' ? Buffer.alloc(0) : bodyOf(request)), code).toBe(true);
      }),
      { numRuns: 8 },
    );
  }, 90_000);

  it('joins repeated headers with a comment, and sends text as UTF-8 bytes', () => {
    const text = 'naïve';
    const request = {
      id: '3', bin: 'demo', method: 'POST', path: '/hook', query: 'a=1', headers: [['X-Tag', 'a'], ['x-tag', 'b'], ['X-Name', 'Zoë']] as [string, string][],
      body: { size: 6, truncated: false, base64: Buffer.from(text).toString('base64'), text },
    };
    const code = pythonSnippet(request, { url: 'http://localhost:3000/' });
    expect(code).toContain('# requests sends one X-Tag header: its 2 values are joined into one.');
    expect(code).toContain('"X-Tag": "a, b",');
    expect(code).toContain('"X-Name": "Zoë".encode("utf-8"),');
    expect(code).toContain('"http://localhost:3000/hook?a=1",');
    expect(code).toContain('data="naïve".encode("utf-8"),');
  });
});

describe('httpieCommand', () => {
  const request = {
    id: '5', bin: 'demo', method: 'POST', path: '/hook', query: '',
    headers: [['Host', 'authbin.example'], ['X-Empty', ''], ['X-Eq', '=a'], ['Content-Length', '2']] as [string, string][],
    body: { size: 2, truncated: false, base64: Buffer.from('{}').toString('base64'), text: '{}' },
  };

  it('writes headers as request items, empty ones with ";" and a leading "=" escaped', () => {
    expect(httpieCommand(request, { url: 'http://localhost:3000' })).toBe(
      "http --raw '{}' POST 'http://localhost:3000/hook' \\\n  'X-Empty;' \\\n  'X-Eq:\\=a'",
    );
  });

  it('reads a binary body from the file on standard input', () => {
    const binary = { ...request, body: { size: 2, truncated: false, base64: Buffer.from([0, 255]).toString('base64') } };
    const code = httpieCommand(binary, { url: 'http://localhost:3000' });
    expect(code).toMatch(/ \\\n {2}< request-5\.bin$/);
    expect(code).not.toContain('--raw');
  });
});

describe('requestSnippets', () => {
  it('offers curl, fetch, Python and HTTPie, all aimed at the same URL', () => {
    const request = { id: '1', bin: 'demo', method: 'GET', path: '/a', query: 'q=1', headers: [], body: { size: 0, truncated: false, base64: '' } };
    const snippets = requestSnippets(request, { url: 'https://authbin.example/b/demo' });
    expect(snippets.map((s) => [s.label, s.language])).toEqual([['curl', 'shell'], ['fetch', 'javascript'], ['Python', 'python'], ['HTTPie', 'shell']]);
    for (const snippet of snippets) expect(snippet.code).toContain('https://authbin.example/b/demo/a?q=1');
  });
});
