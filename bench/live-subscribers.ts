// A child process holding the SSE subscribers of the live section, so that parsing their events
// does not share an event loop with the load generator (which would add its delay to the figures).
// Each captured request carries its send time in the query (`seq=N&t=WALL_MS`); the delay is
// measured when its event reaches a subscriber.
import { request, type ClientRequest } from 'node:http';
import { Samples, spread, wallClockMs, type Spread } from './stats.ts';

export type ToSubscribers = { kind: 'start'; url: string; subscribers: number } | { kind: 'progress' } | { kind: 'finish' };

export type FromSubscribers =
  | { kind: 'ready' }
  | { kind: 'progress'; delivered: number }
  | { kind: 'result'; latency: Spread; delivered: number; fewestPerSubscriber: number }
  | { kind: 'error'; message: string };

const timed = /"query":"seq=\d+&t=([\d.]+)"/;
const latencies = new Samples();
const deliveredBy: number[] = [];
const connections: ClientRequest[] = [];
let readyCount = 0;
let finished = false;

function reply(message: FromSubscribers): void {
  if (!finished) process.send!(message);
}

function subscribe(url: string, index: number, total: number): void {
  deliveredBy[index] = 0;
  const req = request(url, { agent: false, headers: { Accept: 'text/event-stream' } }, (res) => {
    if (res.statusCode !== 200) {
      reply({ kind: 'error', message: `subscriber ${index} got HTTP ${res.statusCode}` });
      return;
    }
    res.on('error', (error) => reply({ kind: 'error', message: `subscriber ${index}: ${error.message}` }));
    res.setEncoding('utf8');
    let buffer = '';
    res.on('data', (chunk: string) => {
      const now = wallClockMs();
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith('event: ready')) {
          if (++readyCount === total) reply({ kind: 'ready' });
          continue;
        }
        const sentAt = timed.exec(block)?.[1];
        if (block.startsWith('event: request') && sentAt !== undefined) {
          latencies.push(now - Number(sentAt));
          deliveredBy[index]!++;
        }
      }
    });
  });
  req.on('error', (error) => reply({ kind: 'error', message: `subscriber ${index}: ${error.message}` }));
  req.end();
  connections.push(req);
}

process.on('message', (message: ToSubscribers) => {
  if (message.kind === 'start') {
    for (let i = 0; i < message.subscribers; i++) subscribe(message.url, i, message.subscribers);
  } else if (message.kind === 'progress') {
    reply({ kind: 'progress', delivered: latencies.length });
  } else {
    const result: FromSubscribers = { kind: 'result', latency: spread(latencies.values()), delivered: latencies.length, fewestPerSubscriber: Math.min(...deliveredBy) };
    finished = true;
    // Exit only once the result has left, or the parent would never see it.
    process.send!(result, undefined, {}, () => {
      for (const req of connections) req.destroy();
      process.exit(0);
    });
  }
});
