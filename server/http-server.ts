import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Hono } from 'hono';
import type { AppEnv } from './app-deps.ts';

/** A PEM certificate chain and its private key. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

/**
 * The Node HTTP server around the app (HTTPS when given `tls`), with limits that keep slow or
 * endless clients from holding sockets forever. Nothing is silently dropped: every header sent (up
 * to the 16 KiB header limit, past which Node answers 431) reaches the capture route.
 */
export function createHttpServer(app: Hono<AppEnv>, tls?: TlsMaterial): Server {
  const server = createAdaptorServer({
    fetch: app.fetch,
    ...(tls && { createServer: createHttpsServer }),
    serverOptions: {
      ...tls,
      // The whole header block must arrive within 20 s (a byte-a-second client is cut off).
      headersTimeout: 20_000,
      // A body may take up to 5 minutes (a 10 MiB upload on a slow link), then the request is cut off.
      requestTimeout: 300_000,
      keepAliveTimeout: 10_000,
      // Node checks the two timeouts above only this often (30 s by default).
      connectionsCheckingInterval: 1_000,
    },
  }) as Server;
  server.maxHeadersCount = 0;
  // A client may finish sending and half-close before the answer is ready (a bin with a delay, a
  // slower database): still answer it. Node has no public option for this.
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  // A socket that sends nothing for 30 s (a stalled upload) is closed; live streams send a
  // keep-alive comment every 15 s, and a long poll lifts this for its own socket.
  server.timeout = 30_000;
  return server;
}
