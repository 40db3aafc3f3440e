import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { binCount, getJson, internalErrors, mebibytes, report, requestDetail, rssBytes } from './support/api.ts';
import { jsonOf } from './support/http-responses.ts';
import { exchange } from './support/raw-connection.ts';

// Node's limit for the request line plus all header lines.
const headerLimit = 16 * 1024;

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  expect(internalErrors(server.output())).toEqual([]);
  await server.stop();
});

function request(target: string, headerLines: string[]): string {
  return [`GET ${target} HTTP/1.1`, 'Host: limits.test', ...headerLines, 'Connection: close', '', ''].join('\r\n');
}

async function stillServing(): Promise<void> {
  expect(await getJson(`${server.url}/healthz`)).toEqual({ ok: true });
}

describe('header limits on the real listener', () => {
  it('answers one header over the limit with 431 and stores nothing', async () => {
    const [response] = await exchange(server.url, request('/b/big-header', [`X-Big: ${'a'.repeat(headerLimit + 1)}`]));
    expect(response?.status).toBe(431);
    expect(await binCount(server.url, 'big-header')).toBe(0);
    await stillServing();
  });

  it('answers 10,000 small headers with 431, stores nothing and keeps its memory', async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `X-H${i}: v`);
    const before = rssBytes(server.process.pid!);
    const results = await Promise.all(Array.from({ length: 20 }, () => exchange(server.url, request('/b/many-headers', lines))));
    const growth = rssBytes(server.process.pid!) - before;
    expect(results.map(([response]) => response?.status)).toEqual(Array(20).fill(431));
    expect(await binCount(server.url, 'many-headers')).toBe(0);
    expect(growth).toBeLessThan(32 * 1024 * 1024);
    await stillServing();
    report(`10,000 headers: 20 requests of ${Math.round(lines.join('\r\n').length / 1024)} KiB of headers each refused with 431, RSS grew ${mebibytes(growth)}`);
  });

  it('stores all 1,500 headers of a request under the limit, in order', async () => {
    const headers = Array.from({ length: 1_500 }, (_, i): [string, string] => [`x${i}`, String(i % 10)]);
    const bytes = request('/b/fifteen-hundred', headers.map(([name, value]) => `${name}:${value}`));
    expect(bytes.length).toBeLessThan(headerLimit);
    const [response] = await exchange(server.url, bytes);
    expect(response?.status).toBe(200);
    const detail = await requestDetail(server.url, jsonOf<{ id: string }>(response!).id);
    expect(detail.headers).toEqual([['Host', 'limits.test'], ...headers, ['Connection', 'close']]);
    report(`1,500 headers: a request with ${headers.length} headers under the limit stored with all of them, in order`);
  });

  it('stores a URL that fills the header limit as sent, and answers 431 just past it', async () => {
    const head = request('/b/long-url/', []);
    const room = headerLimit - head.length - 64;
    const path = `/b/long-url/${'p'.repeat(room / 2)}`;
    const query = `q=${'%7E'.repeat(room / 6)}`;
    const [stored] = await exchange(server.url, request(`${path}?${query}`, []));
    expect(stored?.status).toBe(200);
    const detail = await requestDetail(server.url, jsonOf<{ id: string }>(stored!).id);
    expect(detail.path).toBe(path.slice('/b/long-url'.length));
    expect(detail.query).toBe(query);

    const tooLong = `/b/long-url/${'p'.repeat(headerLimit)}`;
    const [refused] = await exchange(server.url, request(tooLong, []));
    expect(refused?.status).toBe(431);
    expect(await binCount(server.url, 'long-url')).toBe(1);
    report(`long URL: a ${path.length + query.length + 1}-byte target stored exactly, a ${tooLong.length}-byte one refused with 431`);
  });
});
