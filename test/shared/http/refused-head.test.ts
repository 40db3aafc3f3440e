import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainRefusal } from '../../../shared/http/refusal.ts';
import { readRefusedHead, refusedRequestStart } from '../../../shared/http/refused-head.ts';

/** What Node's own parser read of a head it accepted. */
interface NodeReading {
  method: string;
  target: string;
  httpVersion: string;
  headers: [string, string][];
}

let server: Server;
let port: number;
const readings: NodeReading[] = [];
beforeAll(async () => {
  server = createServer((request: IncomingMessage, response) => {
    const headers: [string, string][] = [];
    for (let i = 0; i < request.rawHeaders.length; i += 2) headers.push([request.rawHeaders[i]!, request.rawHeaders[i + 1]!]);
    readings.push({ method: request.method!, target: request.url!, httpVersion: request.httpVersion, headers });
    response.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends a head to Node's parser and resolves to what it read (undefined when it refused it). */
function nodeReads(head: string): Promise<NodeReading | undefined> {
  const before = readings.length;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer.startsWith('HTTP/1.1 204') ? readings[before] : undefined));
    socket.end(Buffer.from(head, 'latin1'));
  });
}

const tokenChar = fc.constantFrom(...'!#$%&\'*+.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-'.split(''));
// Framing and connection headers change how Node reads what follows, not how it reads the head.
const headerName = fc.string({ unit: tokenChar, minLength: 1, maxLength: 16 }).filter((name) => !/^(content-length|transfer-encoding|connection|upgrade|expect|host)$/i.test(name));
const valueChar = fc.oneof(fc.constantFrom(' ', '\t', ':', '\x80', '\xe9', '\xff'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }));
const headerValue = fc.string({ unit: valueChar, maxLength: 24 });
const pathChar = fc.constantFrom(...'abcXYZ019-._~%/?=&+'.split(''));
const validHead = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
  path: fc.string({ unit: pathChar, maxLength: 20 }),
  httpVersion: fc.constantFrom('1.0', '1.1'),
  headers: fc.array(fc.tuple(headerName, fc.constantFrom('', ' ', '  ', '\t'), headerValue), { maxLength: 8 }),
});

describe('reading a refused head', () => {
  it('reads a head Node accepts as Node does: method, target, version, headers in order', async () => {
    await fc.assert(
      fc.asyncProperty(validHead, async ({ method, path, httpVersion, headers }) => {
        const lines = [`Host: x`, ...headers.map(([name, space, value]) => `${name}:${space}${value}`), 'Connection: close'];
        const head = `${method} /b/demo/${path} HTTP/${httpVersion}\r\n${lines.join('\r\n')}\r\n\r\n`;
        const node = await nodeReads(head);
        expect(node, JSON.stringify(head)).toBeDefined();
        const ours = readRefusedHead(head);
        expect({ method: ours.method, target: ours.target, httpVersion: ours.httpVersion, headers: ours.headers }).toEqual(node);
        expect(ours.problems).toEqual([]);
      }),
      { numRuns: 8000 },
    );
  }, 120_000);

  it('keeps a value base64 wrapped onto the next line as one value, line break and all', () => {
    const head = readRefusedHead('GET /b/demo HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWJj\nZGVm\r\nAccept: */*\r\n\r\n');
    expect(head.headers).toEqual([['Host', 'x'], ['Authorization', 'Basic YWJj\nZGVm'], ['Accept', '*/*']]);
    expect(head.problems).toEqual([{ kind: 'line-break', header: 'Authorization' }]);
  });

  it.each([
    ['a stray CR', 'X-A: a\rb', [['X-A', 'a\rb']], 'stray-cr'],
    ['a space before the colon', 'X-A : b', [['X-A', 'b']], 'space-before-colon'],
    ['a NUL', 'X-A: a\0b', [['X-A', 'a\0b']], 'nul'],
    ['a control character', 'X-A: a\x01b', [['X-A', 'a\x01b']], 'control'],
    ['a folded line', 'X-A: a\r\n  b', [['X-A', 'a\r\n  b']], 'folded'],
    ['a name that is no token', 'X\xe9: v', [['X\xe9', 'v']], 'bad-name'],
  ])('names %s', (_, line, headers, kind) => {
    const head = readRefusedHead(`GET /b/demo HTTP/1.1\r\n${line}\r\n\r\n`);
    expect(head.headers).toEqual(headers);
    expect(head.problems.map((p) => p.kind)).toEqual([kind]);
  });

  it('names header lines that end with a bare LF', () => {
    const head = readRefusedHead('GET /b/demo HTTP/1.1\nHost: x\nAccept: */*\n\n');
    expect(head.headers).toEqual([['Host', 'x'], ['Accept', '*/*']]);
    expect(head.problems[0]).toEqual({ kind: 'bare-lf', header: 'Host' });
    expect(explainRefusal('HPE_INVALID_VERSION', head)).toBe('the line of the Host header ends with a bare line feed (LF) where HTTP needs CR LF');
  });
});

describe('finding the refused request in the chunk the parser failed in', () => {
  it('finds it after earlier requests of a keep-alive chunk', () => {
    const chunk = 'GET /b/a HTTP/1.1\r\nHost: x\r\n\r\nGET /b/b HTTP/1.1\r\nX : y\r\n\r\n';
    expect(refusedRequestStart(chunk, chunk.indexOf('X :') + 1)).toBe(chunk.indexOf('GET /b/b'));
  });

  it('says when the chunk does not hold the request line, or the head ended before the error, or the request line was refused', () => {
    expect(refusedRequestStart('X-A : b\r\n\r\n', 3)).toBe('earlier-read');
    const body = 'POST /b/a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n';
    expect(refusedRequestStart(body, body.indexOf('zz'))).toBe('body');
    expect(refusedRequestStart('GET /b/a\0 HTTP/1.1\r\nHost: x\r\n\r\n', 8)).toBe('request-line');
  });
});

describe('explaining a refusal', () => {
  it('gives the analysis fix for a line break in Authorization, and says where base64 wrapped it', () => {
    const wrapped = `${'a'.repeat(76)}\n${'b'.repeat(8)}`;
    const explanation = explainRefusal('HPE_CR_EXPECTED', readRefusedHead(`GET /b/x HTTP/1.1\r\nAuthorization: Basic ${wrapped}\r\n\r\n`));
    expect(explanation).toBe(
      'the Authorization header contains a line break where base64 wrapped it at 76 columns. ' +
        'Send exactly "Scheme credentials": one space, no line breaks or tabs (base64 -w0, or pipe through tr -d \'\\n\').',
    );
  });

  it('falls back on what the parser code means when the head shows nothing wrong', () => {
    expect(explainRefusal('HPE_INVALID_METHOD', readRefusedHead('G@T /b/x HTTP/1.1\r\n\r\n'))).toBe('the method is not an HTTP token');
    expect(explainRefusal('HPE_SOMETHING_NEW', readRefusedHead('GET /b/x HTTP/1.1\r\n\r\n'))).toBe('the request does not follow HTTP/1.1 syntax (HPE_SOMETHING_NEW)');
  });
});
