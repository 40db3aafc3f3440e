import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { safeNext } from '../../server/routes/session.ts';
import { makeTestApp, startTestApp, testEngines, type TestApp } from '../helpers/app.ts';

const token = 'correct-horse-battery-staple';
let t: TestApp;
afterEach(() => t.close());

const login = (app: TestApp['app'], body: Record<string, string>, headers: Record<string, string> = {}) =>
  app.request('/login', { method: 'POST', body: new URLSearchParams(body), headers });
const sessionOf = (response: Response) => response.headers.getSetCookie().find((c) => /^authbin_session=[^;]/.test(c))!.split(';')[0]!;

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

  it('logs a browser in with a random session in an HttpOnly SameSite=Strict cookie that only the API receives', async () => {
    t = makeTestApp({ AUTHBIN_TOKEN: token });
    const form = await t.app.request('/login?next=/bins/x');
    expect(await form.text()).toContain('name="token"');

    const wrong = await login(t.app, { token: 'nope', next: '/bins/x' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const right = await login(t.app, { token, next: '/bins/x' });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/bins/x');
    const cookie = right.headers.getSetCookie().find((c) => /^authbin_session=[^;]/.test(c))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    // Scoped to the API, so a logged-in browser never sends it to /b/… (where it would be captured).
    expect(cookie).toMatch(/Path=\/api(;|$)/);
    expect(cookie).not.toContain(token);

    const session = sessionOf(right);
    // Random per login, not derived from the token.
    expect(sessionOf(await login(t.app, { token, next: '/' }))).not.toBe(session);
    expect((await t.app.request('/api/bins', { headers: { Cookie: session } })).status).toBe(200);
    expect(await (await t.app.request('/api/session', { headers: { Cookie: session } })).json()).toEqual({ authenticated: true, tokenRequired: true, publicUrl: null });
    expect(await (await t.app.request('/api/session')).json()).toEqual({ authenticated: false, tokenRequired: true, publicUrl: null });
    expect((await t.app.request('/api/bins', { headers: { Cookie: 'authbin_session=' + 'A'.repeat(43) } })).status).toBe(401);
  });

  it('serves the page shell to anyone: it holds no data, and the API it calls needs the token', async () => {
    t = makeTestApp({ AUTHBIN_TOKEN: token });
    // The UI is not built in this test's webRoot: the shell route answers, without a redirect.
    expect((await t.app.request('/bins/x')).status).not.toBe(303);
    expect((await t.app.request('/api/bins/x')).status).toBe(401);
  });

  it('ends a session at logout, on this and every other instance', async () => {
    t = makeTestApp({ AUTHBIN_TOKEN: token });
    const session = sessionOf(await login(t.app, { token }));
    const other = makeTestApp({ AUTHBIN_TOKEN: token }, t.dbPath);
    try {
      expect((await other.app.request('/api/bins', { headers: { Cookie: session } })).status).toBe(200);
      const out = await t.app.request('/api/logout', { method: 'POST', headers: { Cookie: session } });
      expect(out.status).toBe(303);
      expect(out.headers.get('set-cookie')).toMatch(/authbin_session=;.*Path=\/api/);
      expect((await t.app.request('/api/bins', { headers: { Cookie: session } })).status).toBe(401);
      // The other instance checked it within the last 10 s and may trust it that long, no longer.
      vi.useFakeTimers({ now: Date.now() + 11_000, toFake: ['Date'] });
      expect((await other.app.request('/api/bins', { headers: { Cookie: session } })).status).toBe(401);
    } finally {
      vi.useRealTimers();
      await other.close();
    }
  });

  it('ends every session when the token changes', async () => {
    t = makeTestApp({ AUTHBIN_TOKEN: token });
    const session = sessionOf(await login(t.app, { token }));
    const rotated = makeTestApp({ AUTHBIN_TOKEN: 'a-new-token-after-a-leak-9f2c' }, t.dbPath);
    try {
      expect((await rotated.app.request('/api/bins', { headers: { Cookie: session } })).status).toBe(401);
    } finally {
      await rotated.close();
    }
  });

  it('refuses an address that keeps sending wrong tokens, and logs its address but never a token', async () => {
    t = makeTestApp({ AUTHBIN_TOKEN: token, AUTHBIN_TRUST_PROXY: '1' });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const guesser = { 'X-Forwarded-For': '203.0.113.9' };
      for (let i = 0; i < 20; i++) {
        const guess = i % 2 ? await login(t.app, { token: `guess-${i}-abcdefghijk` }, guesser) : await t.app.request('/api/bins', { headers: { ...guesser, Authorization: `Bearer guess-${i}-abcdefghijk` } });
        expect(guess.status).toBe(401);
      }
      const blocked = await login(t.app, { token }, guesser);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await t.app.request('/api/bins', { headers: { ...guesser, Authorization: `Bearer ${token}` } })).status).toBe(429);
      // Another address is not affected.
      expect((await login(t.app, { token }, { 'X-Forwarded-For': '198.51.100.7' })).status).toBe(303);

      const logged = warn.mock.calls.map((call) => call.join(' ')).join('\n');
      expect(logged).toContain('203.0.113.9');
      expect(logged).toMatch(/refused/);
      expect(logged).not.toMatch(/guess-|correct-horse/);
    } finally {
      warn.mockRestore();
    }
  });

  it('never redirects a login to another site', async () => {
    t = makeTestApp({ AUTHBIN_TOKEN: token });
    for (const next of ['//evil.example/', '/\t/evil.example/', '/%09/evil.example/', '/\\evil.example', '/\n/evil.example', 'https://evil.example/', '/\\/evil.example']) {
      const response = await login(t.app, { token, next });
      const location = response.headers.get('location')!;
      expect(new URL(location, 'http://authbin.test').host, `next=${JSON.stringify(next)}`).toBe('authbin.test');
    }
    const viaQuery = await t.app.request('/login?next=/%09/evil.example/');
    expect(await viaQuery.text()).not.toContain('evil.example');
  });

  it('accepts any host name: the token guards it', async () => {
    t = makeTestApp({ AUTHBIN_TOKEN: token });
    const response = await t.app.request('/api/bins', { headers: { Host: 'bins.example.com', Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
  });
});

describe('safeNext', () => {
  it('keeps paths on this site as they are and sends everything else home', () => {
    expect(safeNext('/bins/x?q=a%20b#sec')).toBe('/bins/x?q=a%20b#sec');
    expect(safeNext('/bins/../decode')).toBe('/decode');
    for (const bad of [undefined, '', 'bins', '//x', '/\t/x', '/\\x', '/\r\n/x', '/\u0000x', 'javascript:alert(1)', '/%2F/x']) {
      const next = safeNext(bad);
      expect(new URL(next, 'http://a.test').host).toBe('a.test');
      expect(next.startsWith('//')).toBe(false);
    }
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

  it('answers the UI and API only to localhost, IP addresses and --public-url hosts (DNS rebinding)', async () => {
    t = makeTestApp();
    const id = (await (await t.app.request('/b/x', { method: 'POST', headers: { Authorization: 'Basic bWU6c2VjcmV0' } })).json()) as { id: string };
    // A page at rebind.test that pointed its name at 127.0.0.1 is same-origin with authbin: refused.
    const rebound = { Host: 'rebind.test:8787', Origin: 'http://rebind.test:8787' };
    const read = await t.app.request(`/api/requests/${id.id}`, { headers: rebound });
    expect(read.status).toBe(403);
    const text = await read.text();
    expect(text).toContain('host_not_allowed');
    expect(text).not.toContain('bWU6c2VjcmV0');
    const patch = await t.app.request('/api/bins/x', { method: 'PATCH', headers: { ...rebound, 'content-type': 'application/json' }, body: '{"forwardTo":"http://127.0.0.1:9/"}' });
    expect(patch.status).toBe(403);
    expect((await t.store.getBin('x'))!.forwardTo).toBeNull();
    expect((await t.app.request('/', { headers: rebound })).status).toBe(403);
    expect((await t.app.request('/api/bins/x/events', { headers: rebound })).status).toBe(403);

    for (const host of ['localhost:8787', 'LOCALHOST', '127.0.0.1:8787', '[::1]:8787', '0x7f.1:8787', '192.168.1.20:8787', '[fe80::1]']) {
      expect((await t.app.request('/api/bins', { headers: { Host: host } })).status, host).toBe(200);
    }
    for (const host of ['rebind.test', 'localhost.evil.example', '127.0.0.1.nip.io', 'evil.example@127.0.0.1', '']) {
      expect((await t.app.request('/api/bins', { headers: { Host: host } })).status, host).toBe(403);
    }
    // Capture stays open to every name (a tunnel's, a proxy's).
    expect((await t.app.request('/b/x', { method: 'POST', headers: rebound })).status).toBe(200);
    expect((await t.app.request('/healthz', { headers: rebound })).status).toBe(200);
  });

  it('answers to the hosts of --public-url and shows capture URLs on the first one', async () => {
    t = makeTestApp({ AUTHBIN_PUBLIC_URL: 'https://bins.example.com, http://laptop.internal:8787' });
    expect((await t.app.request('/api/bins', { headers: { Host: 'bins.example.com' } })).status).toBe(200);
    expect((await t.app.request('/api/bins', { headers: { Host: 'laptop.internal:8787' } })).status).toBe(200);
    expect((await t.app.request('/api/bins', { headers: { Host: 'other.example.com' } })).status).toBe(403);
    expect(await (await t.app.request('/api/session')).json()).toMatchObject({ publicUrl: 'https://bins.example.com' });
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

describe.each(testEngines())('login sessions on $name', (engine) => {
  it('are kept by the database, so every instance on it knows them', async () => {
    t = await startTestApp(engine, { AUTHBIN_TOKEN: token });
    const session = sessionOf(await login(t.app, { token }));
    expect((await t.app.request('/api/bins', { headers: { Cookie: session } })).status).toBe(200);
    expect(await t.store.findSession('x')).toBeUndefined();
    await t.app.request('/api/logout', { method: 'POST', headers: { Cookie: session } });
    expect((await t.app.request('/api/bins', { headers: { Cookie: session } })).status).toBe(401);
  });
});

describe('configuration', () => {
  const webRoot = { webRoot: '/nonexistent' };
  it('reads flags over environment, with defaults', () => {
    expect(loadConfig([], {}, webRoot)).toMatchObject({ host: '127.0.0.1', port: 8787, db: 'data/authbin.db', maxBodyBytes: 10 * 1024 * 1024, maxDecodedBytes: 64 * 1024 * 1024, token: null, publicUrls: [] });
    expect(loadConfig(['--port', '0', '--db', '/tmp/x.db'], { PORT: '9000', AUTHBIN_DB: '/tmp/y.db' }, webRoot)).toMatchObject({ port: 0, db: '/tmp/x.db' });
    expect(loadConfig([], { PORT: '9000', AUTHBIN_MAX_BODY_BYTES: '1024' }, webRoot)).toMatchObject({ port: 9000, maxBodyBytes: 1024 });
    expect(loadConfig(['--max-decoded-bytes', '2048'], { AUTHBIN_MAX_DECODED_BYTES: '4096' }, webRoot)).toMatchObject({ maxDecodedBytes: 2048 });
    expect(loadConfig(['--public-url', 'https://bins.example.com/'], { AUTHBIN_PUBLIC_URL: 'https://x.example' }, webRoot).publicUrls).toEqual(['https://bins.example.com']);
  });

  it('refuses bad values with one clear line', () => {
    expect(() => loadConfig(['--port', 'abc'], {}, webRoot)).toThrow(/invalid port "abc"/);
    expect(() => loadConfig([], { PORT: '70000' }, webRoot)).toThrow(/invalid port/);
    expect(() => loadConfig([], { AUTHBIN_MAX_DECODED_BYTES: '0' }, webRoot)).toThrow(/invalid max decoded bytes/);
    expect(() => loadConfig(['--bogus'], {}, webRoot)).toThrow(/bogus/);
    expect(() => loadConfig([], { AUTHBIN_TOKEN: 'short' }, webRoot)).toThrow(/at least 16/);
    expect(() => loadConfig([], { AUTHBIN_REPLAY_ALLOW: '10.0.0.0/99' }, webRoot)).toThrow(/^invalid AUTHBIN_REPLAY_ALLOW: /);
    expect(() => loadConfig(['--public-url', 'https://bins.example.com/app'], {}, webRoot)).toThrow(/invalid public URL.*no path/);
    expect(() => loadConfig(['--public-url', 'ftp://bins.example.com'], {}, webRoot)).toThrow(/invalid public URL/);
  });

  it('refuses a guessable token', () => {
    for (const weak of ['passwordpassword', 'aaaaaaaaaaaaaaaaaaaa', 'changeme-changeme-', '1111122222111112']) {
      expect(() => loadConfig([], { AUTHBIN_TOKEN: weak }, webRoot), weak).toThrow(/guessable.*openssl rand/);
    }
    for (const random of ['6wiIBWbGkBMo1mRD', '3f9a0c7e1b2d4c58', token]) expect(loadConfig([], { AUTHBIN_TOKEN: random }, webRoot).token).toBe(random);
  });

  it('refuses a public host without a token unless told it is fine', () => {
    expect(() => loadConfig(['--host', '0.0.0.0'], {}, webRoot)).toThrow(/AUTHBIN_TOKEN/);
    expect(loadConfig(['--host', '0.0.0.0', '--insecure-public'], {}, webRoot).host).toBe('0.0.0.0');
    expect(loadConfig(['--host', '0.0.0.0'], { AUTHBIN_TOKEN: token }, webRoot).host).toBe('0.0.0.0');
  });
});
