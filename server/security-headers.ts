import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-deps.ts';

/** Strict CSP: no inline script or style markup anywhere in the UI; captured data is only ever text. */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Headers for everything authbin itself serves (not for the responses bins give to senders). */
export const securityHeaderValues: Readonly<Record<string, string>> = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': contentSecurityPolicy,
});

/** Adds {@link securityHeaderValues}; a response that brings its own (stricter) CSP keeps it. */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(securityHeaderValues)) {
    if (name !== 'Content-Security-Policy' || !c.res.headers.has(name)) c.res.headers.set(name, value);
  }
};
