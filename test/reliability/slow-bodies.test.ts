import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestDetail, RequestPage } from '../../shared/api.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { binCount, getJson, internalErrors, mebibytes, report, requestDetail, rssBytes } from './support/api.ts';
import { parseResponses } from './support/http-responses.ts';
import { RawConnection } from './support/raw-connection.ts';

const cap = 1024 * 1024;
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ env: { AUTHBIN_MAX_BODY_BYTES: String(cap) } });
});
afterAll(async () => {
  await server.stop();
});

const rss = () => rssBytes(server.process.pid!);

async function healthzWithin(ms: number): Promise<void> {
  const started = Date.now();
  expect(await getJson(`${server.url}/healthz`)).toEqual({ ok: true });
  expect(Date.now() - started).toBeLessThan(ms);
}

describe('bodies that never end', () => {
  it('cuts an endless chunked stream off at the cap with 413, closes it, and stores the first cap bytes', async () => {
    const streams = 10;
    const chunk = Buffer.alloc(64 * 1024, 'e');
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    const before = rss();
    let peak = before;
    const connections = await Promise.all(Array.from({ length: streams }, () => RawConnection.open(server.url)));
    const pumps = connections.map(async (connection, i) => {
      await connection.write(`POST /b/endless/${i} HTTP/1.1\r\nHost: endless.test\r\nTransfer-Encoding: chunked\r\n\r\n`);
      let sent = 0;
      // Keeps sending until the server stops taking it; never sends the last chunk.
      while (connection.closedAfterMs === null && (await connection.write(frame))) {
        sent += chunk.length;
        peak = Math.max(peak, rss());
        if (sent > 64 * cap) break;
      }
      return sent;
    });
    const sent = await Promise.all(pumps);
    const closed = await Promise.all(connections.map((connection) => connection.closed(5_000)));
    expect(closed.every((ms) => ms !== null), 'every endless stream is closed by the server').toBe(true);
    expect(Math.max(...sent), 'the server stopped reading soon after the cap').toBeLessThan(64 * cap);
    // The 413 is sent before the close; a client still writing may instead see the close as a
    // reset that drops it (TCP discards unread data on RST), so count what arrived.
    const statuses = connections.flatMap((connection) => parseResponses(connection.received, true).responses.map((r) => r.status));
    expect(new Set(statuses)).toEqual(new Set([413]));
    const growth = peak - before;
    expect(growth).toBeLessThan(streams * cap + 64 * 1024 * 1024);

    const page = await getJson<RequestPage>(`${server.url}/api/bins/endless/requests?limit=50`);
    expect(page.requests).toHaveLength(streams);
    const detail: RequestDetail = await requestDetail(server.url, page.requests[0]!.id);
    expect(detail.body.truncated).toBe(true);
    expect(Buffer.from(detail.body.base64, 'base64').equals(Buffer.alloc(cap, 'e'))).toBe(true);
    await healthzWithin(1_000);
    report(`endless bodies: ${streams} never-ending chunked uploads cut off at the ${mebibytes(cap)} cap (${statuses.length} saw the 413, ${streams - statuses.length} only the close) after ${mebibytes(Math.max(...sent))} at most sent; RSS grew ${mebibytes(growth)}`);
  });

  it('holds stalled uploads without growing memory and keeps serving everyone else', async () => {
    const stalled = 100;
    const before = rss();
    const connections = await Promise.all(Array.from({ length: stalled }, () => RawConnection.open(server.url)));
    for (const connection of connections) {
      await connection.write(`POST /b/stalled HTTP/1.1\r\nHost: stalled.test\r\nContent-Length: ${10 * cap}\r\n\r\n${'s'.repeat(1024)}`);
    }
    let peak = before;
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      peak = Math.max(peak, rss());
    }
    const growth = peak - before;
    await healthzWithin(1_000);
    expect((await fetch(`${server.url}/b/alongside`, { method: 'POST', body: 'not held up' })).status).toBe(200);
    expect(connections.every((connection) => connection.closedAfterMs === null)).toBe(true);
    expect(growth).toBeLessThan(64 * 1024 * 1024);
    for (const connection of connections) connection.destroy();
    await new Promise((resolve) => setTimeout(resolve, 500));
    // A body that never arrived whole was never acknowledged, so it is not stored either.
    expect(await binCount(server.url, 'stalled')).toBe(0);
    await healthzWithin(1_000);
    report(`stalled uploads: ${stalled} connections each declaring ${mebibytes(10 * cap)} and sending 1 KiB held open, RSS grew ${mebibytes(growth)}, other requests served`);
  });

  it('does not log a client that hangs up mid-body as an internal error', async () => {
    const hangUps = 20;
    const logged = internalErrors(server.output()).length;
    for (let i = 0; i < hangUps; i++) {
      const connection = await RawConnection.open(server.url);
      // "100 Continue" shows the request has reached authbin and its body is being read.
      await connection.write(`POST /b/hang-up HTTP/1.1\r\nHost: gone.test\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n`);
      const interim = await connection.receivedWhen((received) => received.includes('\r\n\r\n'), 2_000);
      expect(interim.toString('latin1')).toMatch(/^HTTP\/1\.1 100 Continue\r\n/);
      await connection.write('h'.repeat(10));
      await new Promise((resolve) => setTimeout(resolve, 20));
      connection.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    await healthzWithin(1_000);
    const added = internalErrors(server.output()).slice(logged);
    report(`hang-ups: ${hangUps} clients gone mid-body logged ${added.length} "internal error" lines`);
    // The client went away: nothing failed in authbin, and an operator should not be paged for it.
    expect(added).toEqual([]);
  });
});
