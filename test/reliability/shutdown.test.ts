import { once } from 'node:events';
import { existsSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.ts';
import { report } from './support/api.ts';

const inFlight = 5;
const delayMs = 1_000;

/** An open SSE stream: counts `request` events and notes when the server ends it. */
function openEvents(base: string, bin: string) {
  return new Promise<{ requests: () => number; ended: Promise<number> }>((resolve, reject) => {
    const req = httpRequest(`${base}/api/bins/${bin}/events`, { agent: false }, (response) => {
      let text = '';
      let ready!: () => void;
      const isReady = new Promise<void>((r) => (ready = r));
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes('event: ready')) ready();
      });
      const ended = new Promise<number>((r) => response.once('close', () => r(Date.now())));
      isReady.then(() => resolve({ requests: () => text.split('event: request').length - 1, ended }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A capture on its own connection; resolves to the status and when the answer was complete. */
function capture(base: string, path: string): Promise<{ status: number; at: number } | { error: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(`${base}${path}`, { method: 'POST', agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode!, at: Date.now() }));
      response.on('error', (error) => resolve({ error: error.message }));
    });
    req.on('error', (error) => resolve({ error: error.message }));
    req.end('in flight when the signal came');
  });
}

/** Whether a new TCP connection to the port is refused. */
function refusesConnections(base: string): Promise<boolean> {
  const { port } = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(['SIGTERM', 'SIGINT'] as const)('on %s', (signal) => {
  it('finishes in-flight requests, closes live streams, checkpoints the database and exits 0', async () => {
    const server = await startServer();
    try {
      const bin = 'slow';
      expect((await fetch(`${server.url}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: bin }) })).status).toBe(201);
      const patched = await fetch(`${server.url}/api/bins/${bin}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response: { status: 202, body: 'taken', delayMs } }),
      });
      expect(patched.status).toBe(200);

      const events = await openEvents(server.url, bin);
      const answers = Array.from({ length: inFlight }, (_, i) => capture(server.url, `/b/${bin}/in-flight/${i}`));
      // Each is committed (and announced) before its delay starts: then they are truly in flight.
      await until(() => events.requests() === inFlight, 5_000);

      const exited = once(server.process, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      const signalledAt = Date.now();
      server.process.kill(signal);

      const streamEndedAt = await events.ended;
      expect(streamEndedAt - signalledAt, 'the live stream is closed promptly').toBeLessThan(delayMs);
      expect(await refusesConnections(server.url), 'new connections are refused').toBe(true);

      const results = await Promise.all(answers);
      for (const result of results) {
        expect(result).toMatchObject({ status: 202 });
        // They were held for their delay, not cut short.
        expect((result as { at: number }).at - signalledAt).toBeGreaterThan(delayMs / 2);
      }
      const [code, exitSignal] = await exited;
      const exitedAfter = Date.now() - signalledAt;
      expect({ code, exitSignal }).toEqual({ code: 0, exitSignal: null });
      expect(exitedAfter, 'exits once the in-flight requests are done, without waiting out the grace period').toBeLessThan(delayMs + 3_000);

      const wal = `${server.dbPath}-wal`;
      expect(!existsSync(wal) || statSync(wal).size === 0, 'the WAL is checkpointed into the database').toBe(true);
      report(`${signal}: ${inFlight} in-flight requests answered, SSE stream closed after ${streamEndedAt - signalledAt} ms, exit 0 after ${exitedAfter} ms, WAL empty`);
    } finally {
      await server.stop();
    }
  });
});
