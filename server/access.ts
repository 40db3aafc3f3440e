import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from './app-deps.ts';
import { senderOf } from './capture/source-address.ts';
import type { Config } from './config.ts';
import { ApiFailure } from './errors.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { Sessions } from './sessions.ts';

export const sessionCookie = 'authbin_session';
/** The login cookie goes only to the API: never to `/b/…`, where a capture would store it. */
export const sessionCookiePath = '/api';

/** Compares in constant time (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export type Credential = 'none-needed' | 'bearer' | 'cookie' | null;

export interface Gate {
  config: Readonly<Config>;
  sessions: Sessions;
  throttle: LoginThrottle;
}

/** How this request proves it may use the API, or null when it does not. */
export async function credentialOf(c: Context<AppEnv>, { config, sessions }: Gate): Promise<Credential> {
  if (config.token === null) return 'none-needed';
  const bearer = bearerOf(c);
  if (bearer !== undefined && safeEqual(bearer, config.token)) return 'bearer';
  const cookie = getCookie(c, sessionCookie);
  if (cookie !== undefined && (await sessions.valid(cookie))) return 'cookie';
  return null;
}

function bearerOf(c: Context<AppEnv>): string | undefined {
  const authorization = c.req.header('authorization');
  return authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
}

/** Refuses an address that has sent too many wrong tokens lately (429), before its token is even compared. */
export function refuseIfThrottled(c: Context<AppEnv>, { config, throttle }: Gate): void {
  const wait = throttle.retryAfter(addressOf(c, config));
  if (wait > 0) {
    throw new ApiFailure(429, 'too_many_attempts', `too many wrong tokens from this address: try again in ${wait} s`, { 'Retry-After': String(wait) });
  }
}

/** Counts a wrong token against the caller's address, and logs (the address, never the token) when it gets blocked. */
export function recordWrongToken(c: Context<AppEnv>, { config, throttle }: Gate): void {
  const address = addressOf(c, config);
  const { blocked, count } = throttle.fail(address);
  if (count === 1 || blocked) {
    console.warn(`authbin: wrong token from ${address} on ${c.req.method} ${c.req.path}${blocked ? ` (${count} within a minute: refused for the rest of it)` : ''}`);
  }
}

function addressOf(c: Context<AppEnv>, config: Readonly<Config>): string {
  return senderOf(c, config.trustProxy).address ?? 'unknown';
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
 * Guards `/api/*`: with AUTHBIN_TOKEN set, a Bearer token or a login session is needed; and no
 * other site may make a browser change anything here (CSRF), even on an open loopback instance.
 */
export function apiAccess(gate: Gate): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!safeMethods.has(c.req.method) && crossSite(c)) {
      throw new ApiFailure(403, 'cross_site_request', 'requests from other sites may not change authbin data');
    }
    if (gate.config.token !== null && c.req.path !== '/api/session') {
      if (bearerOf(c) !== undefined) refuseIfThrottled(c, gate);
      if ((await credentialOf(c, gate)) === null) {
        if (bearerOf(c) !== undefined) recordWrongToken(c, gate);
        throw new ApiFailure(401, 'unauthorized', 'this authbin needs its token: send "Authorization: Bearer <AUTHBIN_TOKEN>" or log in at /login', {
          'WWW-Authenticate': 'Bearer realm="authbin"',
        });
      }
    }
    await next();
  };
}

/**
 * Without a token, the UI and API answer only to names a web page cannot take over: `localhost`,
 * IP addresses, the `--host` name and the `--public-url` hosts. Otherwise a page the user visits
 * could point its own name at 127.0.0.1 (DNS rebinding) and read captured credentials as its
 * own origin. With a token set, the token guards instead and any name is served.
 */
export function hostAllowList(config: Readonly<Config>): MiddlewareHandler<AppEnv> {
  const names = new Set(['localhost', config.host.toLowerCase(), ...config.publicUrls.map((url) => new URL(url).hostname)]);
  return async (c, next) => {
    if (config.token === null) {
      const hostname = hostnameOf(c.req.header('host') ?? new URL(c.req.url).host);
      if (hostname === null || !(names.has(hostname) || isIP(hostname.replace(/^\[|\]$/g, '')) !== 0)) {
        throw new ApiFailure(
          403,
          'host_not_allowed',
          `this authbin has no AUTHBIN_TOKEN, so it answers only to localhost, IP addresses and the names given with --public-url, not to "${(hostname ?? '').slice(0, 100)}": ` +
            'a web page could point such a name at your machine (DNS rebinding). Add the name with --public-url, or set AUTHBIN_TOKEN.',
        );
      }
    }
    await next();
  };
}

/** The host name of a Host header, lower-cased (IPv4 spellings such as `0x7f.1` normalised); null when it is not one. */
function hostnameOf(host: string): string | null {
  if (!/^[A-Za-z0-9._-]+(:\d*)?$|^\[[0-9A-Fa-f:.]+\](:\d*)?$/.test(host)) return null;
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return null;
  }
}
