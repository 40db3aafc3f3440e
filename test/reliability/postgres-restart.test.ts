import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, postgresBinaries, startThrowawayPostgres, type ThrowawayPostgres } from '../helpers/postgres.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { report } from './support/api.ts';

const cycles = 10;
const workers = 4;
/** How long an immediate stop keeps PostgreSQL down. */
const downMs = 1_500;
const bin = 'pg-restart';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const binaries = postgresBinaries();
if (!binaries && process.env.AUTHBIN_REQUIRE_POSTGRES === '1') throw new Error('AUTHBIN_REQUIRE_POSTGRES=1 but no PostgreSQL server binaries to restart');

/**
 * An SSE subscriber as a browser is one: whenever its stream ends it comes back with the last id it
 * saw as Last-Event-ID. `drop()` cuts the current stream, to make it resume.
 */
function subscribe(url: string) {
  const ids: string[] = [];
  let lastId: string | undefined;
  let current: AbortController | undefined;
  let done = false;
  let connections = 0;
  const running = (async () => {
    while (!done) {
      current = new AbortController();
      try {
        const response = await fetch(`${url}/api/bins/${bin}/events`, { headers: lastId ? { 'Last-Event-ID': lastId } : {}, signal: current.signal });
        connections++;
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done: ended } = await reader.read();
          if (ended) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const id = /^id: (\d+)$/m.exec(block)?.[1];
            if (id && block.startsWith('event: request')) {
              ids.push(id);
              lastId = id;
            }
          }
        }
      } catch {
        // Cut by drop(), or the server refused: come back as a browser would.
      }
      if (!done) await sleep(100);
    }
  })();
  return {
    ids,
    connections: () => connections,
    drop: () => current?.abort(),
    async close() {
      done = true;
      current?.abort();
      await running;
    },
  };
}

describe.skipIf(!binaries)('PostgreSQL restarted under load', () => {
  let postgres: ThrowawayPostgres;
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.stop();
    await postgres?.stop();
  });

  it(`never stops authbin, never acknowledges an uncommitted capture, and loses or repeats no event (${cycles} restarts)`, async () => {
    postgres = await startThrowawayPostgres();
    const database = await createDatabase(postgres.url);
    server = await startServer({ dbPath: database.url });
    const { url } = server;
    expect((await fetch(`${url}/b/${bin}`, { method: 'POST', body: 'seq-0' })).status).toBe(200);
    const subscriber = subscribe(url);

    let next = 1;
    let loading = true;
    const outcomes = new Map<number, { status: number; id?: string }>();
    /** When PostgreSQL last accepted connections again, and how long each time until a capture was acknowledged. */
    let upAt: number | undefined;
    const recoveryMs: number[] = [];
    const load = Array.from({ length: workers }, async () => {
      while (loading) {
        const seq = next++;
        try {
          const response = await fetch(`${url}/b/${bin}`, { method: 'POST', body: `seq-${seq}` });
          const answer = (await response.json()) as { id?: string };
          outcomes.set(seq, { status: response.status, id: response.status === 200 ? answer.id : undefined });
          if (response.status === 200 && upAt !== undefined) {
            recoveryMs.push(Date.now() - upAt);
            upAt = undefined;
          }
        } catch {
          outcomes.set(seq, { status: 0 });
        }
        await sleep(5);
      }
    });

    const started = Date.now();
    for (let cycle = 0; cycle < cycles; cycle++) {
      await sleep(300);
      // Resumed during the outage: the replay fails, the stream ends, and it comes back until it succeeds.
      subscriber.drop();
      if (cycle % 2 === 0) await postgres.restart('fast');
      else await postgres.restart('immediate', downMs);
      upAt = Date.now();
      expect(server.process.exitCode, server.output()).toBeNull();
    }
    await sleep(1_000);
    loading = false;
    await Promise.all(load);
    const outageMs = Date.now() - started;

    // The pool and the LISTEN connection came back by themselves: captures now are acknowledged and arrive live.
    const connectionsBefore = subscriber.connections();
    for (let i = 0; i < 20; i++) {
      const seq = next++;
      const response = await fetch(`${url}/b/${bin}`, { method: 'POST', body: `seq-${seq}` });
      expect(response.status).toBe(200);
      outcomes.set(seq, { status: 200, id: ((await response.json()) as { id: string }).id });
    }

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    let stored: { id: string; body: string }[];
    try {
      stored = (await client.query<{ id: string; body: string }>("SELECT id::text AS id, convert_from(body, 'UTF8') AS body FROM requests WHERE bin = $1 ORDER BY requests.id", [bin])).rows;
    } finally {
      await client.end();
    }
    // The first capture came before the subscriber.
    const storedIds = stored.map((r) => r.id).slice(1);
    await expect.poll(() => subscriber.ids.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(storedIds.length);
    await subscriber.close();
    expect(subscriber.connections()).toBe(connectionsBefore);

    const bySeq = new Map<number, string[]>();
    for (const row of stored) {
      const seq = Number(row.body.slice('seq-'.length));
      bySeq.set(seq, [...(bySeq.get(seq) ?? []), row.id]);
    }
    const acknowledged = [...outcomes].filter(([, o]) => o.status === 200);
    const refused = [...outcomes].filter(([, o]) => o.status === 503);
    const other = [...outcomes].filter(([, o]) => o.status !== 200 && o.status !== 503);
    // Every acknowledged capture is stored exactly once, under the id it was acknowledged with.
    for (const [seq, { id }] of acknowledged) expect(bySeq.get(seq), `seq ${seq}`).toEqual([id]);
    // Nothing is stored twice.
    expect([...bySeq.values()].filter((ids) => ids.length > 1)).toEqual([]);
    expect(other.map(([seq, o]) => `${seq}: ${o.status}`)).toEqual([]);
    expect(refused.length).toBeGreaterThan(0);
    // The event stream: every stored request once, in id order, across ten restarts and as many resumes.
    expect(subscriber.ids).toEqual(storedIds);

    const refusedButStored = refused.filter(([seq]) => bySeq.has(seq)).length;
    report(
      `PostgreSQL restarted ${cycles} times under load (${cycles / 2} fast, ${cycles / 2} immediate with ${downMs} ms down) in ${(outageMs / 1000).toFixed(1)} s: ` +
        `${outcomes.size} captures, ${acknowledged.length} acknowledged and all stored once, ${refused.length} answered 503 ` +
        `(${refusedButStored} of them committed all the same), ${stored.length} stored, ${subscriber.ids.length} live events, authbin never exited; ` +
        `the first acknowledged capture ${Math.min(...recoveryMs)}–${Math.max(...recoveryMs)} ms after PostgreSQL accepted connections again`,
    );
    expect(await server.stop()).toBe(0);
    server = undefined;
  });
});
