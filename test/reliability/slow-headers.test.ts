import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { binCount, getJson, report } from './support/api.ts';
import { parseResponses } from './support/http-responses.ts';
import { RawConnection } from './support/raw-connection.ts';

// The server gives a client 20 s to send its whole header block; allow 5 s for the check to run.
const headersTimeoutMs = 20_000;
const closedWithinMs = 25_000;
const dribblers = 10;

let server: RunningServer;
// A fresh server, so the clients start at a known point of the server's own timers.
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});

describe('a client that sends its headers one byte a second', () => {
  it(`is cut off with 408 once the ${headersTimeoutMs / 1000} s header timeout passes (within ${closedWithinMs / 1000} s)`, async () => {
    const text = `POST /b/dribble HTTP/1.1\r\nHost: slow.test\r\nX-Slow: ${'z'.repeat(100)}`;
    const connections = await Promise.all(Array.from({ length: dribblers }, () => RawConnection.open(server.url)));
    let sent = 0;
    const timer = setInterval(() => {
      for (const connection of connections) void connection.write(text[sent % text.length]!);
      sent++;
    }, 1_000);
    for (const connection of connections) void connection.write(text[0]!);
    sent = 1;
    try {
      // Meanwhile everyone else is served as usual.
      const started = Date.now();
      expect(await getJson(`${server.url}/healthz`)).toEqual({ ok: true });
      expect(Date.now() - started).toBeLessThan(1_000);

      const closedAfter = await Promise.all(connections.map((connection) => connection.closed(closedWithinMs)));
      const slowest = Math.max(...closedAfter.map((ms) => ms ?? Infinity));
      report(`slow headers: ${dribblers} clients sending a byte a second were cut off after ${closedAfter.map((ms) => (ms === null ? `>${closedWithinMs / 1000} s` : `${(ms / 1000).toFixed(1)} s`)).join(', ')}`);
      expect(closedAfter.every((ms) => ms !== null), `connections still open after ${closedWithinMs} ms`).toBe(true);
      expect(slowest).toBeGreaterThanOrEqual(headersTimeoutMs - 1_000);
      for (const connection of connections) {
        expect(parseResponses(connection.received, true).responses.map((r) => r.status)).toEqual([408]);
      }
      expect(await binCount(server.url, 'dribble')).toBe(0);
    } finally {
      clearInterval(timer);
      for (const connection of connections) connection.destroy();
    }
  });
});
