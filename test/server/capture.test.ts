import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestPage } from '../../shared/api.ts';
import { fetchDetail, startTestApp, testEngines, type TestApp } from '../helpers/app.ts';
import { sendRaw } from '../helpers/raw-http.ts';

describe.each(testEngines())('capture on $name', (engine) => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp(engine, { AUTHBIN_MAX_BODY_BYTES: String(64 * 1024) });
    base = await t.listen();
  });
  afterAll(() => t.close());

  const detail = (id: string) => fetchDetail(base, id);

  describe('capture on a real listener', () => {
    it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'PURGE'])('records %s', async (method) => {
      const response = await sendRaw(base, `${method} /b/methods/sub/path?x=1&y=%20 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n`);
      expect(response.status).toBe(200);
      const { ok, id } = JSON.parse(response.body) as { ok: boolean; id: string };
      expect(ok).toBe(true);
      const stored = await detail(id);
      expect(stored).toMatchObject({ bin: 'methods', method, path: '/sub/path', query: 'x=1&y=%20', httpVersion: '1.1' });
      expect(stored.remoteAddress).toBe('127.0.0.1');
      expect(stored.remotePort).toBeGreaterThan(0);
    });

    it('answers HEAD without a body and records it', async () => {
      const response = await fetch(`${base}/b/methods`, { method: 'HEAD' });
      expect(response.status).toBe(200);
      const page = (await (await fetch(`${base}/api/bins/methods/requests?limit=1`)).json()) as RequestPage;
      expect(page.requests[0]).toMatchObject({ method: 'HEAD', path: '/' });
    });

    it('keeps header names, case, order and duplicates byte for byte', async () => {
      const raw =
        'POST /b/headers HTTP/1.1\r\nHost: example.test\r\nX-MiXeD-CaSe: One\r\nauthorization: Basic YTpi\r\n' +
        'Authorization: Bearer second\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nx-empty:\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';
      const { body } = await sendRaw(base, raw);
      const stored = await detail((JSON.parse(body) as { id: string }).id);
      expect(stored.headers).toEqual([
        ['Host', 'example.test'],
        ['X-MiXeD-CaSe', 'One'],
        ['authorization', 'Basic YTpi'],
        ['Authorization', 'Bearer second'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
        ['x-empty', ''],
        ['Content-Length', '0'],
        ['Connection', 'close'],
      ]);
    });

    it('shows UTF-8 header values as text and keeps invalid bytes visible', async () => {
      const raw = Buffer.concat([
        Buffer.from('GET /b/bytes HTTP/1.1\r\nHost: h\r\nX-Utf8: caf'),
        Buffer.from('é', 'utf8'),
        Buffer.from('\r\nX-Latin1: caf'),
        Buffer.from([0xe9]),
        Buffer.from('\r\nConnection: close\r\n\r\n'),
      ]);
      const { body } = await sendRaw(base, raw);
      const stored = await detail((JSON.parse(body) as { id: string }).id);
      expect(stored.headers).toContainEqual(['X-Utf8', 'café']);
      expect(stored.headers).toContainEqual(['X-Latin1', 'caf\u00e9']);
    });

    it('round-trips a binary body of all 256 byte values with the same SHA-256', async () => {
      const bytes = Buffer.from(Array.from({ length: 256 * 4 }, (_, i) => i % 256));
      const response = await fetch(`${base}/b/binary`, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
      const { id } = (await response.json()) as { id: string };
      const stored = await detail(id);
      expect(stored.body).toMatchObject({ size: bytes.length, truncated: false });
      expect(stored.body.text).toBeUndefined();
      const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
      expect(sha(Buffer.from(stored.body.base64, 'base64'))).toBe(sha(bytes));
      const download = await fetch(`${base}/api/requests/${id}/body`);
      expect(download.headers.get('content-type')).toBe('application/octet-stream');
      expect(download.headers.get('content-disposition')).toMatch(/^attachment/);
      expect(download.headers.get('x-content-type-options')).toBe('nosniff');
      expect(sha(Buffer.from(await download.arrayBuffer()))).toBe(sha(bytes));
    });

    it('gives the body as text when it is UTF-8', async () => {
      const response = await fetch(`${base}/b/text/hook`, { method: 'POST', body: '{"a":"é"}', headers: { 'content-type': 'application/json' } });
      const stored = await detail(((await response.json()) as { id: string }).id);
      expect(stored.body.text).toBe('{"a":"é"}');
    });

    it('answers 413 past the cap and still records the headers and the first cap bytes', async () => {
      const big = Buffer.alloc(200 * 1024, 'x');
      const response = await fetch(`${base}/b/big`, { method: 'POST', body: big, headers: { 'X-Seq': 'big-1' } }).catch((error: Error) => error);
      // Either the 413 arrives, or the server closed the socket mid-upload after answering.
      if (!(response instanceof Error)) {
        expect(response.status).toBe(413);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('body_too_large');
      }
      const page = (await (await fetch(`${base}/api/bins/big/requests`)).json()) as RequestPage;
      expect(page.requests).toHaveLength(1);
      const stored = await detail(page.requests[0]!.id);
      expect(stored.body.truncated).toBe(true);
      expect(stored.body.size).toBe(big.length);
      expect(Buffer.from(stored.body.base64, 'base64').length).toBe(64 * 1024);
      expect(stored.headers).toContainEqual(['X-Seq', 'big-1']);
    });

    it('takes chunked bodies, empty bodies and Expect: 100-continue', async () => {
      const chunked = await sendRaw(
        base,
        'POST /b/chunks HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n',
      );
      expect((await detail((JSON.parse(chunked.body) as { id: string }).id)).body.text).toBe('hello world');

      const empty = await fetch(`${base}/b/chunks`, { method: 'POST' });
      expect((await detail(((await empty.json()) as { id: string }).id)).body).toMatchObject({ size: 0, text: '' });

      const continued = await new Promise<string>((resolve, reject) => {
        const { port } = new URL(base);
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/b/chunks/continue', headers: { Expect: '100-continue', 'Content-Length': 4 } });
        req.on('continue', () => req.end('data'));
        req.on('response', (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
      });
      expect((await detail((JSON.parse(continued) as { id: string }).id)).body.text).toBe('data');
    });

    it('stores gzip bodies as sent and can give them decoded', async () => {
      const gz = gzipSync('{"compressed":true}');
      const response = await fetch(`${base}/b/gzip`, { method: 'POST', body: gz, headers: { 'Content-Encoding': 'gzip' } });
      const { id } = (await response.json()) as { id: string };
      expect(Buffer.from((await detail(id)).body.base64, 'base64')).toEqual(gz);
      const decoded = await fetch(`${base}/api/requests/${id}/body?decoded=1`);
      expect(await decoded.text()).toBe('{"compressed":true}');
    });

    it('rejects bad bin names with a 404 JSON error and stores nothing', async () => {
      for (const path of ['/b/', '/b', '/b/has.dot', `/b/${'x'.repeat(65)}`, '/b/%00', '/b/caf%C3%A9']) {
        const response = await sendRaw(base, `POST ${path} HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        expect(response.status, path).toBe(404);
        expect((JSON.parse(response.body) as { error: { code: string } }).error.code).toBe('bad_bin');
      }
      const bins = (await (await fetch(`${base}/api/bins`)).json()) as { bins: { id: string }[] };
      expect(bins.bins.map((b) => b.id)).not.toContain('has');
    });

    it('captures 2,000 concurrent requests from 50 connections, none lost, none doubled', async () => {
      const { Agent } = await import('node:http');
      const agent = new Agent({ keepAlive: true, maxSockets: 50 });
      const { port } = new URL(base);
      const send = (seq: number) =>
        new Promise<number>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port, agent, method: 'POST', path: '/b/burst', headers: { 'X-Seq': String(seq), 'Content-Type': 'application/json' } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          });
          req.on('error', reject);
          req.end(JSON.stringify({ seq }));
        });
      const statuses = await Promise.all(Array.from({ length: 2000 }, (_, i) => send(i)));
      agent.destroy();
      expect(statuses.every((s) => s === 200)).toBe(true);

      const seen: string[] = [];
      let before: string | null = null;
      do {
        const page = (await (await fetch(`${base}/api/bins/burst/requests?limit=500${before ? `&before=${before}` : ''}`)).json()) as RequestPage;
        for (const summary of page.requests) seen.push(summary.id);
        before = page.next;
      } while (before);
      expect(seen).toHaveLength(2000);
      const bodies = new Set<number>();
      for (const id of seen.slice(0, 2000)) {
        const request = t.store.getRequest(id);
        bodies.add((JSON.parse(Buffer.from((await request)!.body).toString()) as { seq: number }).seq);
      }
      expect(bodies.size).toBe(2000);
      const bin = (await (await fetch(`${base}/api/bins/burst`)).json()) as { requestCount: number };
      expect(bin.requestCount).toBe(2000);
    });
  });
});
