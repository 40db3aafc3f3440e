import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import { HarnessError } from './processes.ts';
import { Samples, spread, type Spread } from './stats.ts';

/** What one load run sends. */
export interface LoadShape {
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  connections: number;
}

export interface LoadResult {
  /** Completed responses per second. */
  rps: number;
  /** Response latency, from autocannon's per-response timings (sub-millisecond). */
  latency: Spread;
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Requests written to the wire, answered or not. */
  sent: number;
  seconds: number;
}

/** Runs autocannon in this process against `baseUrl + shape.path`, for a duration or an exact amount. */
export async function runLoad(baseUrl: string, shape: LoadShape, length: { seconds: number } | { amount: number }): Promise<LoadResult> {
  const latencies = new Samples();
  const instance = autocannon({
    url: baseUrl + shape.path,
    method: shape.method,
    headers: shape.headers,
    ...(shape.body && { body: shape.body }),
    connections: shape.connections,
    // Short samples let a fractional duration end on time.
    sampleInt: 100,
    timeout: 30,
    ...('seconds' in length ? { duration: length.seconds } : { amount: length.amount }),
  });
  instance.on('response', (_client, _status, _bytes, responseTimeMs) => latencies.push(responseTimeMs));
  const result = await instance;
  const completed = result.requests.total;
  if (completed === 0) throw new HarnessError(`no response at all from ${baseUrl}${shape.path} (${result.errors} errors)`);
  return {
    rps: completed / result.duration,
    latency: spread(latencies.values()),
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    sent: result.requests.sent,
    seconds: result.duration,
  };
}

export interface Reply {
  status: number;
  body: Buffer;
}

let keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP request over a kept-alive connection. */
export function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: keepAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Sends `count` GETs one after another (after a few untimed ones) and times each whole response. */
export async function timeSequentialGets(baseUrl: string, nextPath: (i: number) => string, count: number, warmup = 20): Promise<Spread> {
  const latencies = new Samples();
  for (let i = 0; i < warmup + count; i++) {
    const path = nextPath(i);
    const started = performance.now();
    const reply = await send(baseUrl + path);
    const elapsed = performance.now() - started;
    if (reply.status !== 200) {
      throw new HarnessError(`GET ${path} answered ${reply.status}: ${reply.body.toString('utf8').slice(0, 200)}`);
    }
    if (i >= warmup) latencies.push(elapsed);
  }
  return spread(latencies.values());
}

/** Closes the idle kept-alive sockets so servers can stop promptly. */
export function closeIdleSockets(): void {
  keepAlive.destroy();
  keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });
}
