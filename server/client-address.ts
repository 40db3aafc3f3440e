import type { Context } from 'hono';
import type { AppEnv } from './app-env.ts';

/** The caller's address: the socket's, or with `--trust-proxy` the first `X-Forwarded-For` entry. */
export function clientAddress(c: Context<AppEnv>, trustProxy: boolean): string {
  const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  return forwarded || c.env?.incoming?.socket.remoteAddress || 'unknown';
}
