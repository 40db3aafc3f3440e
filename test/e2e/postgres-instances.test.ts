import { spawnSync } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestPage, RequestSummary } from '../../shared/api.ts';
import { testEngines, type TestEngine } from '../helpers/app.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const postgres = testEngines().find((engine): engine is TestEngine => engine.name === 'postgres');
const cli = join(import.meta.dirname, '..', '..', 'dist', 'server', 'cli', 'main.js');

/** A live event stream: `next(n)` resolves to the next `n` request events. */
async function subscribe(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const events: { event: string; id?: string; data: string }[] = [];
  const fill = async (done: () => boolean) => {
    while (!done()) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error('the event stream ended');
      buffer += chunk.value;
      let end;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) continue;
        const event = { event: 'message', data: '' } as { event: string; id?: string; data: string };
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event.event = line.slice(7);
          else if (line.startsWith('id: ')) event.id = line.slice(4);
          else if (line.startsWith('data: ')) event.data += line.slice(6);
        }
        events.push(event);
      }
    }
  };
  await fill(() => events.some((e) => e.event === 'ready'));
  let taken = 0;
  return {
    async next(count: number): Promise<RequestSummary[]> {
      const requests = () => events.filter((e) => e.event === 'request');
      await fill(() => requests().length >= taken + count);
      const batch = requests().slice(taken, taken + count);
      taken += count;
      return batch.map((e) => ({ ...(JSON.parse(e.data) as RequestSummary), sseId: e.id }));
    },
    close: () => reader.cancel(),
  };
}

async function capture(base: string, bin: string, body: string): Promise<string> {
  const response = await fetch(`${base}/b/${bin}/hook`, { method: 'POST', body });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

async function allIds(base: string, bin: string): Promise<RequestSummary[]> {
  const all: RequestSummary[] = [];
  let before: string | null = null;
  do {
    const page: RequestPage = (await (await fetch(`${base}/api/bins/${bin}/requests?limit=500${before ? `&before=${before}` : ''}`)).json()) as RequestPage;
    all.push(...page.requests);
    before = page.next;
  } while (before);
  return all;
}

describe.runIf(postgres)('several authbin instances on one PostgreSQL database', () => {
  let db: string;
  let drop: () => Promise<void>;
  let a: RunningServer;
  let b: RunningServer;

  beforeEach(async () => {
    ({ db, drop } = await postgres!.createDatabase());
    // `--db` takes the URL as well as a path; AUTHBIN_DB would do the same.
    [a, b] = await Promise.all([startServer({ dbPath: db }), startServer({ dbPath: db })]);
  });
  afterEach(async () => {
    await Promise.all([a.stop(), b.stop()]);
    await drop();
  });

  it('sends a capture made on one instance to an event stream on the other, and resumes there after Last-Event-ID', async () => {
    const stream = await subscribe(`${b.url}/api/bins/shared/events`);
    const sent = [await capture(a.url, 'shared', 'one'), await capture(b.url, 'shared', 'two'), await capture(a.url, 'shared', 'three')];
    const live = await stream.next(3);
    expect(live.map((e) => e.id)).toEqual(sent);
    expect(live[0]).toMatchObject({ bin: 'shared', method: 'POST', path: '/hook', size: 3 });
    await stream.close();

    // The browser is away while A takes more, then comes back to B.
    const missed = [await capture(a.url, 'shared', 'four'), await capture(a.url, 'shared', 'five')];
    const resumed = await subscribe(`${b.url}/api/bins/shared/events`, { 'Last-Event-ID': sent[2]! });
    expect((await resumed.next(2)).map((e) => e.id)).toEqual(missed);
    const later = await capture(a.url, 'shared', 'six');
    expect((await resumed.next(1)).map((e) => e.id)).toEqual([later]);
    await resumed.close();
  });

  it('keeps every acknowledged request exactly once when one instance is killed mid-burst', async () => {
    const total = 1200;
    const agents = [new Agent({ keepAlive: true, maxSockets: 25 }), new Agent({ keepAlive: true, maxSockets: 25 })];
    const servers = [a, b];
    let ackedByA = 0;
    const send = (seq: number) =>
      new Promise<{ seq: number; id?: string }>((resolve) => {
        const target = servers[seq % 2]!;
        const req = httpRequest(
          { host: '127.0.0.1', port: Number(new URL(target.url).port), agent: agents[seq % 2], method: 'POST', path: `/b/burst/load?seq=${seq}` },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => {
              if (res.statusCode !== 200) return resolve({ seq });
              if (target === a && ++ackedByA === 200) a.process.kill('SIGKILL');
              resolve({ seq, id: (JSON.parse(text) as { id: string }).id });
            });
            res.on('error', () => resolve({ seq }));
          },
        );
        req.on('error', () => resolve({ seq }));
        req.end(`payload ${seq}`);
      });
    const outcomes = await Promise.all(Array.from({ length: total }, (_, seq) => send(seq)));
    for (const agent of agents) agent.destroy();
    expect(a.process.signalCode).toBe('SIGKILL');

    const acked = outcomes.filter((o) => o.id !== undefined);
    // B answered all of its half; A some of its half before it died.
    expect(acked.length).toBeGreaterThanOrEqual(total / 2 + 200);
    expect(acked.length).toBeLessThan(total);

    const stored = await allIds(b.url, 'burst');
    const seqs = new Map<number, string[]>();
    for (const summary of stored) {
      const seq = Number(/^seq=(\d+)$/.exec(summary.query)![1]);
      seqs.set(seq, [...(seqs.get(seq) ?? []), summary.id]);
    }
    const lost = acked.filter(({ seq, id }) => !seqs.get(seq)?.includes(id!)).map(({ seq }) => seq);
    expect(lost, 'acknowledged but missing').toEqual([]);
    expect([...seqs].filter(([, ids]) => ids.length > 1).map(([seq]) => seq), 'stored twice').toEqual([]);
    const bin = (await (await fetch(`${b.url}/api/bins/burst`)).json()) as { requestCount: number };
    expect(bin.requestCount).toBe(stored.length);
  });
});

describe.runIf(postgres)('a PostgreSQL URL that cannot be reached', () => {
  it('stops the server with one clear line that does not show the password', () => {
    const result = spawnSync(process.execPath, [cli, 'serve', '--port', '0'], {
      env: { PATH: process.env.PATH ?? '', AUTHBIN_DB: 'postgres://authbin:s3cret-pass@127.0.0.1:1/authbin' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^authbin: cannot open database postgres:\/\/authbin:\*\*\*@127\.0\.0\.1:1\/authbin: .*ECONNREFUSED.*\n$/);
    expect(result.stdout + result.stderr).not.toContain('s3cret-pass');
  });
});
