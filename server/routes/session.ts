import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { credentialOf, recordWrongToken, refuseIfThrottled, safeEqual, sessionCookie, sessionCookiePath, type Gate } from '../access.ts';
import type { AppEnv } from '../app-deps.ts';
import { Sessions } from '../sessions.ts';
import { loginCss, loginPage } from './login-page.ts';

/**
 * A path on this site to go back to after logging in; anything else goes home. Judged as a
 * browser would read it: browsers drop tabs and line breaks from URLs and read `\` as `/`, so
 * `/%09/evil.example` would otherwise leave the site.
 */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  const base = 'http://authbin.invalid';
  const url = URL.canParse(next, base) ? new URL(next, base) : null;
  if (!url || url.origin !== base || url.pathname.startsWith('//')) return '/';
  return url.pathname + url.search + url.hash;
}

export function sessionRoutes(gate: Gate) {
  const { config, sessions } = gate;
  const secure = (c: Context<AppEnv>) =>
    new URL(c.req.url).protocol === 'https:' || (config.trustProxy && c.req.header('x-forwarded-proto') === 'https');

  return new Hono<AppEnv>()
    .get('/api/session', async (c) => {
      const credential = await credentialOf(c, gate);
      return c.json({ authenticated: credential !== null, tokenRequired: config.token !== null, publicUrl: config.publicUrls[0] ?? null }, 200);
    })
    .get('/login.css', (c) => c.body(loginCss, 200, { 'Content-Type': 'text/css; charset=utf-8' }))
    .get('/login', (c) => {
      if (config.token === null) return c.redirect(safeNext(c.req.query('next')), 303);
      return c.html(loginPage({ next: safeNext(c.req.query('next')), failed: false }));
    })
    .post('/login', async (c) => {
      const form = await c.req.parseBody();
      const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
      if (config.token === null) return c.redirect(next, 303);
      refuseIfThrottled(c, gate);
      const token = typeof form.token === 'string' ? form.token.trim() : '';
      if (!safeEqual(token, config.token)) {
        recordWrongToken(c, gate);
        return c.html(loginPage({ next, failed: true }), 401);
      }
      // A cookie from before sessions were kept (path /, value derived from the token) goes.
      deleteCookie(c, sessionCookie, { path: '/' });
      setCookie(c, sessionCookie, await sessions.open(), {
        httpOnly: true,
        sameSite: 'Strict',
        secure: secure(c),
        path: sessionCookiePath,
        maxAge: Sessions.maxAgeSeconds,
      });
      return c.redirect(next, 303);
    })
    // No Origin check: the form sends `Origin: null` (no-referrer), and another site's request comes without the SameSite=Strict cookie.
    .post('/api/logout', async (c) => {
      const cookie = getCookie(c, sessionCookie);
      if (cookie !== undefined) await sessions.close(cookie);
      deleteCookie(c, sessionCookie, { path: sessionCookiePath });
      return c.redirect('/login', 303);
    });
}
