import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { credentialOf, safeEqual, sessionCookie, sessionValue } from '../access.ts';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { loginCss, loginPage } from './login-page.ts';

const thirtyDays = 30 * 86_400;

/** A same-site path to go back to after logging in; anything else goes home. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export function sessionRoutes({ config }: AppDeps) {
  const secure = (c: Context<AppEnv>) =>
    new URL(c.req.url).protocol === 'https:' || (config.trustProxy && c.req.header('x-forwarded-proto') === 'https');

  return new Hono<AppEnv>()
    .get('/api/session', (c) => {
      const credential = credentialOf(c, config);
      return c.json({ authenticated: credential !== null, tokenRequired: config.token !== null }, 200);
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
      const token = typeof form.token === 'string' ? form.token.trim() : '';
      if (!safeEqual(token, config.token)) return c.html(loginPage({ next, failed: true }), 401);
      setCookie(c, sessionCookie, sessionValue(config.token), {
        httpOnly: true,
        sameSite: 'Strict',
        secure: secure(c),
        path: '/',
        maxAge: thirtyDays,
      });
      return c.redirect(next, 303);
    })
    .post('/logout', (c) => {
      deleteCookie(c, sessionCookie, { path: '/' });
      return c.redirect('/login', 303);
    });
}
