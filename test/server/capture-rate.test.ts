import { afterEach, describe, expect, it } from 'vitest';
import type { ApiError, Bin } from '../../shared/api.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { sendRaw } from '../helpers/raw-http.ts';

let t: TestApp;
afterEach(() => t.close());

const from = (address: string, body = 'x'): RequestInit => ({ method: 'POST', body, headers: { 'X-Forwarded-For': `${address}, 10.0.0.1` } });
const requestCount = async (bin: string) => ((await (await t.app.request(`/api/bins/${bin}`)).json()) as Bin).requestCount;

describe('the capture rate limit per source address', () => {
  it('answers 429 with Retry-After past the burst, stores nothing, and leaves other addresses alone', async () => {
    t = makeTestApp({ AUTHBIN_TRUST_PROXY: '1', AUTHBIN_CAPTURE_RATE: '1', AUTHBIN_CAPTURE_BURST: '3' });
    for (let i = 0; i < 3; i++) expect((await t.app.request('/b/flood', from('203.0.113.7'))).status).toBe(200);
    const refused = await t.app.request('/b/flood', from('203.0.113.7'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    const { error } = (await refused.json()) as ApiError;
    expect(error.code).toBe('rate_limited');
    expect(error.message).toMatch(/1 a second .* bursts of up to 3/);
    // Not even a new bin: the limit comes before anything else.
    expect((await t.app.request('/b/other-bin', from('203.0.113.7'))).status).toBe(429);
    expect(await requestCount('flood')).toBe(3);
    expect((await t.app.request('/api/bins/other-bin')).status).toBe(404);

    expect((await t.app.request('/b/flood', from('203.0.113.8'))).status).toBe(200);
    expect(await requestCount('flood')).toBe(4);
  });

  it('counts IPv6 senders by /64', async () => {
    t = makeTestApp({ AUTHBIN_TRUST_PROXY: '1', AUTHBIN_CAPTURE_RATE: '1', AUTHBIN_CAPTURE_BURST: '2' });
    expect((await t.app.request('/b/six', from('2001:db8:1:2::1'))).status).toBe(200);
    expect((await t.app.request('/b/six', from('2001:db8:1:2::2'))).status).toBe(200);
    expect((await t.app.request('/b/six', from('2001:db8:1:2:aaaa::9'))).status).toBe(429);
    expect((await t.app.request('/b/six', from('2001:db8:1:3::1'))).status).toBe(200);
  });

  it('leaves loopback senders alone by default, so a local harness is never throttled', async () => {
    t = makeTestApp({ AUTHBIN_TRUST_PROXY: '1', AUTHBIN_CAPTURE_RATE: '1', AUTHBIN_CAPTURE_BURST: '1' });
    const base = await t.listen();
    for (let i = 0; i < 20; i++) expect((await fetch(`${base}/b/local`, { method: 'POST', body: 'x' })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await t.app.request('/b/local', from('127.0.0.1'))).status).toBe(200);
    expect(await requestCount('local')).toBe(25);
  });

  it('limits loopback too when told, and closes the connection rather than read a refused body', async () => {
    t = makeTestApp({ AUTHBIN_CAPTURE_RATE: '1', AUTHBIN_CAPTURE_BURST: '2', AUTHBIN_RATE_LIMIT_LOOPBACK: '1' });
    const base = await t.listen();
    expect((await fetch(`${base}/b/local`, { method: 'POST', body: 'x' })).status).toBe(200);
    expect((await fetch(`${base}/b/local`, { method: 'POST', body: 'x' })).status).toBe(200);
    const refused = await sendRaw(base, 'POST /b/local HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello');
    expect(refused.status).toBe(429);
    expect(refused.headers['connection']).toBe('close');
    expect(await requestCount('local')).toBe(2);
  });

  it('is off with a rate of 0', async () => {
    t = makeTestApp({ AUTHBIN_TRUST_PROXY: '1', AUTHBIN_CAPTURE_RATE: '0', AUTHBIN_CAPTURE_BURST: '1' });
    for (let i = 0; i < 10; i++) expect((await t.app.request('/b/open', from('203.0.113.9'))).status).toBe(200);
  });
});
