import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { getJson, internalErrors, mebibytes, report, rssBytes, sendAlone } from './support/api.ts';
import { headerOf } from './support/http-responses.ts';
import { RawConnection } from './support/raw-connection.ts';

const apiBodyLimit = 1024 * 1024;
let server: RunningServer;
let requestId: string;

beforeAll(async () => {
  server = await startServer();
  await fetch(`${server.url}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"target"}' });
  requestId = ((await (await fetch(`${server.url}/b/target`, { method: 'POST', body: 'x' })).json()) as { id: string }).id;
});
afterAll(async () => {
  expect(internalErrors(server.output())).toEqual([]);
  await server.stop();
});

/** Every API route that reads a JSON body. */
const jsonRoutes = (): [string, string][] => [
  ['POST', '/api/bins'],
  ['PATCH', '/api/bins/target'],
  ['POST', `/api/requests/${requestId}/verify`],
  ['POST', '/api/analyze'],
];

async function post(method: string, path: string, body: string | Buffer) {
  const response = await sendAlone(`${server.url}${path}`, method, body);
  return { status: response.status, contentType: response.headers['content-type'], text: response.body.toString('utf8') };
}

const errorCode = (text: string) => (JSON.parse(text) as { error: { code: string } }).error.code;

describe('JSON bodies sent to /api', () => {
  it('answers a body over the limit with 413, declared or chunked, without holding it in memory', async () => {
    const huge = Buffer.from(JSON.stringify({ id: 'huge', response: { body: 'h'.repeat(4 * apiBodyLimit) } }));
    const before = rssBytes(server.process.pid!);
    const outcomes: (number | 'closed')[] = [];
    for (const [method, path] of jsonRoutes()) {
      for (const chunked of [false, true]) {
        const connection = await RawConnection.open(server.url);
        const framing = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${huge.length}`;
        await connection.write(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${framing}\r\n\r\n`);
        for (let offset = 0; offset < huge.length && connection.closedAfterMs === null; offset += 64 * 1024) {
          const piece = huge.subarray(offset, offset + 64 * 1024);
          const sent = await connection.write(chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece);
          if (!sent) break;
        }
        if (chunked) await connection.write('0\r\n\r\n');
        const [response] = await connection.responses(1, 5_000);
        connection.destroy();
        outcomes.push(response?.status ?? 'closed');
        if (response) expect(JSON.parse(response.body.toString()).error.code, `${method} ${path}`).toBe('too_large');
      }
    }
    const growth = rssBytes(server.process.pid!) - before;
    // A client still sending when the server hangs up may see a reset instead of the 413 (TCP drops unread data on RST).
    expect(outcomes.filter((o) => o !== 'closed').every((o) => o === 413), outcomes.join()).toBe(true);
    expect(outcomes.filter((o) => o === 413).length).toBeGreaterThan(0);
    expect(growth).toBeLessThan(64 * 1024 * 1024);
    expect((await fetch(`${server.url}/api/bins/huge`)).status).toBe(404);
    report(`huge /api bodies: ${outcomes.length} bodies of ${mebibytes(huge.length)} refused (${outcomes.filter((o) => o === 413).length} saw the 413, ${outcomes.filter((o) => o === 'closed').length} only a reset), RSS grew ${mebibytes(growth)}`);
  });

  it('after a 413 either closes the connection, as it says, or goes on serving it', async () => {
    const body = 'x'.repeat(2 * apiBodyLimit);
    const connection = await RawConnection.open(server.url);
    try {
      await connection.write(`POST /api/bins HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      const [refused] = await connection.responses(1, 5_000);
      expect(refused?.status).toBe(413);
      if (headerOf(refused!, 'connection')?.toLowerCase() === 'close') return;
      // It promised keep-alive, so a client may send its next request on this connection.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await connection.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      const responses = await connection.responses(2, 5_000);
      expect(responses.map((r) => r.status), 'the request after the 413, on the same keep-alive connection').toEqual([413, 200]);
    } finally {
      connection.destroy();
    }
  });

  it('survives deeply nested JSON on every route: a clear 4xx or a normal answer, never a crash', async () => {
    const depth = 100_000;
    const shapes = {
      arrays: '['.repeat(depth) + ']'.repeat(depth),
      objects: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
      'a nested response': `{"id":"nested","response":${'{"body":'.repeat(depth)}"x"${'}'.repeat(depth)}}`,
      'nested header pairs': `{"headers":${'['.repeat(depth)}${']'.repeat(depth)}}`,
      'a nested expected credential': `{"authorization":"Basic eDp5","expected":${'{"kind":'.repeat(depth)}"oauth"${'}'.repeat(depth)}}`,
    };
    const statuses: number[] = [];
    for (const [method, path] of jsonRoutes()) {
      for (const [shape, body] of Object.entries(shapes)) {
        const { status, contentType, text } = await post(method, path, body);
        statuses.push(status);
        expect(status, `${shape} → ${method} ${path}`).toBeLessThan(500);
        if (status >= 400) {
          expect(contentType).toMatch(/^application\/json/);
          expect(errorCode(text).length).toBeGreaterThan(0);
        }
      }
    }
    const importLine = await post('POST', '/api/bins/target/import', '['.repeat(depth) + ']'.repeat(depth));
    expect(importLine.status).toBe(400);
    expect(await getJson(`${server.url}/healthz`)).toEqual({ ok: true });
    report(`nested JSON: ${statuses.length + 1} bodies ${depth.toLocaleString('en')} levels deep, answered ${[...new Set([...statuses, importLine.status])].sort().join('/')}, no crash`);
  });

  it('answers bodies that are not JSON with 400 invalid_json', async () => {
    const notJson = ['id=x', '{', "{'id': 'x'}", '<bin id="x"/>', 'NaN', '{"id": "x",}', Buffer.from([0xff, 0xfe, 0x7b, 0x7d])];
    for (const [method, path] of jsonRoutes()) {
      for (const body of notJson) {
        const { status, text } = await post(method, path, body);
        expect(status, `${JSON.stringify(body.toString())} → ${method} ${path}`).toBe(400);
        expect(errorCode(text)).toBe('invalid_json');
      }
    }
    report(`not JSON: ${notJson.length} bodies × ${jsonRoutes().length} routes answered 400 invalid_json`);
  });
});
