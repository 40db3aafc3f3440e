import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from './app-env.ts';
import type { Config } from './config.ts';
import { ApiFailure } from './errors.ts';

export const sessionCookie = 'authbin_session';

/** The cookie value a login sets: derived from the token, so changing the token ends every session. */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('authbin browser session v1').digest('base64url');
}

/** Compares in constant time (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export type Credential = 'none-needed' | 'bearer' | 'cookie' | null;

/** How this request proves it may use the API and UI, or null when it does not. */
export function credentialOf(c: Context<AppEnv>, config: Readonly<Config>): Credential {
  if (config.token === null) return 'none-needed';
  const authorization = c.req.header('authorization');
  if (authorization?.startsWith('Bearer ') && safeEqual(authorization.slice(7).trim(), config.token)) return 'bearer';
  const cookie = getCookie(c, sessionCookie);
  if (cookie !== undefined && safeEqual(cookie, sessionValue(config.token))) return 'cookie';
  return null;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a browser sent this from another site (the Origin is not ours). */
function crossSite(c: Context<AppEnv>): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined) return false;
  const host = c.req.header('host');
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

/**
 * Guards `/api/*`: with AUTHBIN_TOKEN set, a Bearer token or the login cookie is needed; and no
 * other site may make a browser change anything here (CSRF), even on an open loopback instance.
 */
export function apiAccess(config: Readonly<Config>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!safeMethods.has(c.req.method) && crossSite(c)) {
      throw new ApiFailure(403, 'cross_site_request', 'requests from other sites may not change authbin data');
    }
    if (credentialOf(c, config) === null && c.req.path !== '/api/session') {
      throw new ApiFailure(401, 'unauthorized', 'this authbin needs its token: send "Authorization: Bearer <AUTHBIN_TOKEN>" or log in at /login', {
        'WWW-Authenticate': 'Bearer realm="authbin"',
      });
    }
    await next();
  };
}
