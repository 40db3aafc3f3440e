import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-deps.ts';

/**
 * A response on `/b/` comes from authbin's own origin, but what it says is up to whoever set the
 * bin. As a sandbox it runs in an opaque origin of its own: no authbin cookies, no same-origin
 * reads of the API. Without scripts, nothing in it runs or loads at all.
 */
export const sandboxHeaders: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': "sandbox; default-src 'none'",
  'X-Content-Type-Options': 'nosniff',
});

/** The policy of a bin response that asked for `allowScripts`: scripts run, still in an origin of their own. */
export const scriptSandboxPolicy = 'sandbox allow-scripts';

/**
 * Error answers on `/b/` are made by the app's error handler, which knows nothing of bins: they get
 * the sandbox here. The capture route's own answers carry it already, so the fast path is untouched.
 */
export const sandboxErrors: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.error) for (const [name, value] of Object.entries(sandboxHeaders)) c.res.headers.set(name, value);
};
