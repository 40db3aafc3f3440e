import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

const token = 'correct-horse-battery-staple';
let t: TestApp;
afterEach(() => t.close());

describe('with AUTHBIN_TOKEN set', () => {
  it('needs the token for the API, never for capture', async () => {
    t = makeTestApp({ AUTHBIN_TOKEN: token });
    expect((await t.app.request('/b/open', { method: 'POST' })).status).toBe(200);

    const denied = await t.app.request('/api/bins');
    expect(denied.status).toBe(401);
    const body = (await denied.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unauthorized');
    expect(body.error.message).not.toContain(token);

    expect((await t.app.request('/api/bins', { headers: { Authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
    expect((await t.app.request('/api/bins', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('logs a browser in with a form and an HttpOnly SameSite=Strict cookie', async () => {
    t = makeTestApp({ AUTHBIN_TOKEN: token });
    const page = await t.app.request('/bins/x');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fbins%2Fx');

    const form = await t.app.request('/login?next=/bins/x');
    expect(await form.text()).toContain('name="token"');

    const wrong = await t.app.request('/login', { method: 'POST', body: new URLSearchParams({ token: 'nope', next: '/bins/x' }) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const right = await t.app.request('/login', { method: 'POST', body: new URLSearchParams({ token, next: '/bins/x' }) });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/bins/x');
    const cookie = right.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(token);

    const session = cookie.split(';')[0]!;
    expect((await t.app.request('/api/bins', { headers: { Cookie: session } })).status).toBe(200);
    expect(await (await t.app.request('/api/session', { headers: { Cookie: session } })).json()).toEqual({ authenticated: true, tokenRequired: true });
    expect(await (await t.app.request('/api/session')).json()).toEqual({ authenticated: false, tokenRequired: true });
  });

  it('never redirects a login to another site', async () => {
    t = makeTestApp({ AUTHBIN_TOKEN: token });
    const response = await t.app.request('/login', { method: 'POST', body: new URLSearchParams({ token, next: '//evil.example/' }) });
    expect(response.headers.get('location')).toBe('/');
  });
});

describe('without a token (loopback)', () => {
  it('leaves the API open but refuses changes from another site (CSRF)', async () => {
    t = makeTestApp();
    expect((await t.app.request('/api/bins')).status).toBe(200);
    const crossSite = await t.app.request('http://127.0.0.1:8787/api/bins', {
      method: 'POST',
      headers: { Origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
    const sameSite = await t.app.request('http://127.0.0.1:8787/api/bins', {
      method: 'POST',
      headers: { Origin: 'http://127.0.0.1:8787', Host: '127.0.0.1:8787', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(sameSite.status).toBe(201);
  });

  it('sends security headers with what it serves', async () => {
    t = makeTestApp();
    const response = await t.app.request('/api/bins');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});

describe('configuration', () => {
  const webRoot = { webRoot: '/nonexistent' };
  it('reads flags over environment, with defaults', () => {
    expect(loadConfig([], {}, webRoot)).toMatchObject({ host: '127.0.0.1', port: 8787, db: 'data/authbin.db', maxBodyBytes: 10 * 1024 * 1024, maxDecodedBytes: 64 * 1024 * 1024, token: null });
    expect(loadConfig(['--port', '0', '--db', '/tmp/x.db'], { PORT: '9000', AUTHBIN_DB: '/tmp/y.db' }, webRoot)).toMatchObject({ port: 0, db: '/tmp/x.db' });
    expect(loadConfig([], { PORT: '9000', AUTHBIN_MAX_BODY_BYTES: '1024' }, webRoot)).toMatchObject({ port: 9000, maxBodyBytes: 1024 });
    expect(loadConfig(['--max-decoded-bytes', '2048'], { AUTHBIN_MAX_DECODED_BYTES: '4096' }, webRoot)).toMatchObject({ maxDecodedBytes: 2048 });
  });

  it('refuses bad values with one clear line', () => {
    expect(() => loadConfig(['--port', 'abc'], {}, webRoot)).toThrow(/invalid port "abc"/);
    expect(() => loadConfig([], { PORT: '70000' }, webRoot)).toThrow(/invalid port/);
    expect(() => loadConfig([], { AUTHBIN_MAX_DECODED_BYTES: '0' }, webRoot)).toThrow(/invalid max decoded bytes/);
    expect(() => loadConfig(['--bogus'], {}, webRoot)).toThrow(/bogus/);
    expect(() => loadConfig([], { AUTHBIN_TOKEN: 'short' }, webRoot)).toThrow(/at least 16/);
    expect(() => loadConfig([], { AUTHBIN_REPLAY_ALLOW: '10.0.0.0/99' }, webRoot)).toThrow(/^invalid AUTHBIN_REPLAY_ALLOW: /);
  });

  it('refuses a public host without a token unless told it is fine', () => {
    expect(() => loadConfig(['--host', '0.0.0.0'], {}, webRoot)).toThrow(/AUTHBIN_TOKEN/);
    expect(loadConfig(['--host', '0.0.0.0', '--insecure-public'], {}, webRoot).host).toBe('0.0.0.0');
    expect(loadConfig(['--host', '0.0.0.0'], { AUTHBIN_TOKEN: token }, webRoot).host).toBe('0.0.0.0');
  });
});
