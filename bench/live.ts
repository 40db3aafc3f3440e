import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './context.ts';
import type { FromSubscribers, ToSubscribers } from './live-subscribers.ts';
import { send } from './load.ts';
import { captureHeaders, kib, ticketJson } from './payloads.ts';
import { HarnessError, type ServerProcess } from './processes.ts';
import { count, finite, judge, ms, row, rps, type SectionResult } from './report.ts';
import { startAuthbin, startSqliteFloor, withServers } from './servers.ts';
import { Samples, spread, wallClockMs, type Spread } from './stats.ts';

const bin = 'live';
const sleep = (msecs: number) => new Promise((resolve) => setTimeout(resolve, msecs));

/** Talks to the subscriber process: one question, one answer of the expected kind. */
class Subscribers {
  readonly #child: ChildProcess;
  #waiting: { kind: FromSubscribers['kind']; resolve: (m: FromSubscribers) => void; reject: (e: Error) => void } | undefined;
  #failure: Error | undefined;

  constructor() {
    this.#child = fork(fileURLToPath(new URL('./live-subscribers.js', import.meta.url)), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child.on('message', (message: FromSubscribers) => {
      if (message.kind === 'error') return this.#fail(new HarnessError(`live subscribers: ${message.message}`));
      if (this.#waiting?.kind === message.kind) {
        const { resolve } = this.#waiting;
        this.#waiting = undefined;
        resolve(message);
      }
    });
    this.#child.on('exit', (code) => {
      if (this.#waiting) this.#fail(new HarnessError(`the live subscriber process exited (code ${code}) before answering`));
    });
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#waiting?.reject(error);
    this.#waiting = undefined;
  }

  ask<K extends FromSubscribers['kind']>(message: ToSubscribers, kind: K, timeoutMs = 30_000): Promise<Extract<FromSubscribers, { kind: K }>> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(new HarnessError(`live subscribers: no "${kind}" within ${timeoutMs} ms`)), timeoutMs);
      this.#waiting = {
        kind,
        resolve: (m) => (clearTimeout(timer), resolve(m as Extract<FromSubscribers, { kind: K }>)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      this.#child.send(message);
    });
  }

  kill(): void {
    if (this.#child.exitCode === null) this.#child.kill('SIGKILL');
  }
}

interface PacedResult {
  sent: number;
  failed: number;
  seconds: number;
  ack: Spread;
}

/** Sends captures evenly spaced at `rate` per second (autocannon's rate limit sends a burst per second). */
async function pacedCapture(baseUrl: string, rate: number, seconds: number, query: (i: number) => string): Promise<PacedResult> {
  const total = Math.round(rate * seconds);
  const headers = captureHeaders();
  const body = ticketJson(kib);
  const acks = new Samples();
  const inflight: Promise<void>[] = [];
  let failed = 0;
  const started = performance.now();
  for (let i = 0; i < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; i < due; i++) {
      const sentAt = performance.now();
      inflight.push(
        send(`${baseUrl}/b/${bin}/hook?${query(i)}`, { method: 'POST', headers, body }).then(
          (reply) => {
            if (reply.status === 200) acks.push(performance.now() - sentAt);
            else failed++;
          },
          () => void failed++,
        ),
      );
    }
    await sleep(1);
  }
  await Promise.all(inflight);
  return { sent: total, failed, seconds: (performance.now() - started) / 1000, ack: spread(acks.values()) };
}

interface LiveRun {
  load: PacedResult;
  latency: Spread;
  delivered: number;
  expected: number;
  fewestPerSubscriber: number;
}

/** `liveSubscribers` SSE clients (in a child process of their own) on one bin of `server` while capture runs at `liveRate`. */
async function measureLive(ctx: BenchContext, server: ServerProcess): Promise<LiveRun> {
  const { scale } = ctx;
  const subscribers = new Subscribers();
  try {
    await subscribers.ask({ kind: 'start', url: `${server.url}/api/bins/${bin}/events`, subscribers: scale.liveSubscribers }, 'ready');
    // Warm-up captures carry no `seq`, so the subscribers do not time them.
    await pacedCapture(server.url, scale.liveRate, Math.min(1, scale.liveSeconds / 3), (i) => `warmup=${i}`);
    const load = await pacedCapture(server.url, scale.liveRate, scale.liveSeconds, (i) => `seq=${i}&t=${wallClockMs().toFixed(3)}`);
    const expected = (load.sent - load.failed) * scale.liveSubscribers;
    // Deliveries may trail the last acknowledgement: wait until they stop coming (or all arrived).
    let delivered = -1;
    for (let waited = 0; waited < 5000; waited += 250) {
      const progress = await subscribers.ask({ kind: 'progress' }, 'progress');
      if (progress.delivered >= expected || progress.delivered === delivered) break;
      delivered = progress.delivered;
      await sleep(250);
    }
    const result = await subscribers.ask({ kind: 'finish' }, 'result');
    server.assertAlive();
    return { load, latency: result.latency, delivered: result.delivered, expected, fewestPerSubscriber: result.fewestPerSubscriber };
  } finally {
    subscribers.kill();
  }
}

/**
 * Section 5: capture-to-delivery delay with `liveSubscribers` SSE clients while capture runs at
 * `liveRate`, for authbin and, as the same-run reference, for the SQLite floor with the least fan-out.
 */
export async function liveSection(ctx: BenchContext): Promise<SectionResult> {
  const { scale, quick } = ctx;
  const db = ctx.file('live.db');
  const floorDb = ctx.file('live-floor.db');
  ctx.log(`live: ${scale.liveSubscribers} SSE subscribers, capture at ${count(scale.liveRate)} req/s for ${scale.liveSeconds} s, SQLite floor then authbin`);
  try {
    const floor = await withServers([() => startSqliteFloor(floorDb)], ([server]) => measureLive(ctx, server!));
    const authbin = await withServers([() => startAuthbin({ db })], ([server]) => measureLive(ctx, server!));
    const { latency, load } = authbin;
    const received = authbin.load.sent - authbin.load.failed;
    return {
      rows: [
        row(`capture → SSE delivery, ${scale.liveSubscribers} subscribers: p50 / p99`, `${ms(latency.p50)} / ${ms(latency.p99)}`, {
          reference: `capture 2xx p50 ${ms(load.ack.p50)} / p99 ${ms(load.ack.p99)}`,
          target: 'p99 ≤ 25 ms with 100 subscribers',
          verdict: judge(latency.p99 <= 25, { quick, scaleBound: true }),
          values: { p50Ms: finite(latency.p50), p99Ms: finite(latency.p99), maxMs: finite(latency.max), ackP99Ms: finite(load.ack.p99) },
        }),
        row('SQLite floor: capture → SSE delivery p50 / p99', `${ms(floor.latency.p50)} / ${ms(floor.latency.p99)}`, {
          reference: `capture 2xx p50 ${ms(floor.load.ack.p50)} / p99 ${ms(floor.load.ack.p99)}; ${count(floor.delivered)} of ${count(floor.expected)} delivered`,
          values: { p50Ms: finite(floor.latency.p50), p99Ms: finite(floor.latency.p99), maxMs: finite(floor.latency.max), ackP99Ms: finite(floor.load.ack.p99) },
        }),
        row('events delivered', `${count(authbin.delivered)} of ${count(authbin.expected)}`, {
          reference: `fewest to one subscriber: ${count(authbin.fewestPerSubscriber)} of ${count(received)}`,
          target: 'every capture to every subscriber',
          verdict: authbin.delivered === authbin.expected && authbin.fewestPerSubscriber === received ? 'PASS' : 'FAIL',
          values: { delivered: authbin.delivered, expected: authbin.expected },
        }),
        row('capture rate held during live', rps(load.sent / load.seconds), {
          reference: `${count(load.failed)} of ${count(load.sent)} captures failed`,
          values: { rps: load.sent / load.seconds, failed: load.failed },
        }),
      ],
      notes: [
        'delay from just before each POST is written to its event arriving at a subscriber (subscribers run in a child process; send time travels in the query)',
        'SQLite floor: the capture section’s floor server, which also sends each committed request to its SSE subscribers as a minimal frame, at most every 5 ms like authbin — the least live delivery costs on this machine with this harness',
      ],
    };
  } finally {
    ctx.removeDb(db);
    ctx.removeDb(floorDb);
  }
}
