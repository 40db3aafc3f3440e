// The least any SQLite-backed capture can cost on this stack: bare Hono that stores each request in one
// row (the columns authbin keeps, with the same durability: WAL, synchronous=NORMAL, grouped commits)
// and answers only once its group is committed. No bins, no search index, no retention. Its live events
// are the least fan-out can do: each commit's requests as minimal SSE frames, built once and written to
// every subscriber at most every 5 ms (authbin's cadence), with no replay and no backlog limits.
import { serve } from '@hono/node-server';
import type { HttpBindings } from '@hono/node-server';
import Database from 'better-sqlite3';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const db = new Database(process.argv[2]!);
db.pragma('page_size = 16384');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 256');
db.exec(`CREATE TABLE IF NOT EXISTS requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT, bin TEXT NOT NULL, received_at INTEGER NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
  query TEXT NOT NULL, http_version TEXT NOT NULL, remote_address TEXT, remote_port INTEGER, headers TEXT NOT NULL,
  body BLOB NOT NULL, body_size INTEGER NOT NULL, truncated INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS requests_by_bin ON requests(bin, id);`);
const insert = db.prepare(`INSERT INTO requests
  (bin, received_at, method, path, query, http_version, remote_address, remote_port, headers, body, body_size, truncated)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);

const flushIntervalMs = 5;
const subscribers = new Set<ServerResponse>();
let frames: string[] = [];
let lastFanOutAt = 0;
let fanOutDue = false;
function fanOut(): void {
  fanOutDue = false;
  lastFanOutAt = performance.now();
  const chunk = Buffer.from(frames.join(''));
  frames = [];
  for (const subscriber of subscribers) subscriber.write(chunk);
}
function publish(id: string, values: unknown[]): void {
  if (subscribers.size === 0) return;
  const [, receivedAt, method, path, query] = values;
  frames.push(`event: request\nid: ${id}\ndata: ${JSON.stringify({ id, method, path, query, receivedAt })}\n\n`);
  if (fanOutDue) return;
  fanOutDue = true;
  const wait = lastFanOutAt + flushIntervalMs - performance.now();
  if (wait > 0) setTimeout(fanOut, wait);
  else setImmediate(fanOut);
}

interface Pending {
  values: unknown[];
  resolve: (id: string) => void;
}
let pending: Pending[] = [];
const commit = db.transaction((batch: Pending[]) => batch.map((p) => String(insert.run(...p.values).lastInsertRowid)));
function flush(): void {
  const batch = pending;
  pending = [];
  commit(batch).forEach((id, i) => {
    batch[i]!.resolve(id);
    publish(id, batch[i]!.values);
  });
}

const app = new Hono<{ Bindings: HttpBindings }>();
app.get('/api/bins/:bin/events', (c) => {
  const outgoing = c.env.outgoing;
  outgoing.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  outgoing.write('event: ready\ndata: {}\n\n');
  subscribers.add(outgoing);
  outgoing.on('close', () => subscribers.delete(outgoing));
  return RESPONSE_ALREADY_SENT;
});
app.all('/*', async (c) => {
  const incoming = c.env.incoming;
  const body = Buffer.from(await c.req.arrayBuffer());
  const headers: [string, string][] = [];
  for (let i = 0; i < incoming.rawHeaders.length; i += 2) headers.push([incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!]);
  const [path = '', query = ''] = incoming.url!.split('?', 2);
  const values = [path.split('/')[2] ?? '', Date.now(), incoming.method, path, query, incoming.httpVersion, incoming.socket.remoteAddress ?? null,
    incoming.socket.remotePort ?? null, JSON.stringify(headers), body, body.length, 0];
  const id = await new Promise<string>((resolve) => {
    if (pending.push({ values, resolve }) === 1) setImmediate(flush);
  });
  return c.json({ ok: true, id }, 200);
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
server.on('listening', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  db.close();
});
