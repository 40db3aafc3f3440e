// The reference for capture: the same stack as authbin (Hono on @hono/node-server) reading the body
// and answering {"ok":true}, without storing anything.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const app = new Hono().all('/*', async (c) => {
  await c.req.arrayBuffer();
  return c.json({ ok: true }, 200);
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
server.on('listening', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
