import { PassThrough, Readable, type Writable } from 'node:stream';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../app-deps.ts';
import { readyFrame, requestFrame } from '../live/frames.ts';
import type { LiveHub } from '../live/hub.ts';
import { LiveStream } from '../live/live-stream.ts';
import { securityHeaderValues } from '../security-headers.ts';
import type { Store } from '../store/store.ts';
import { toSummary } from '../request-views.ts';
import { binId, requestId } from './validate.ts';

const replayPage = 200;

const sseHeaders = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache, no-transform',
  // Tells nginx not to buffer the stream.
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
};

/** Sends the bin's requests after the stream's Last-Event-ID, oldest first, then lets the live ones through. */
async function replayThenLive(store: Store, bin: string, stream: LiveStream, after: bigint | undefined): Promise<void> {
  try {
    let cursor = after;
    while (cursor !== undefined && !stream.closed) {
      const missed = await store.requestsAfter(bin, String(cursor), replayPage);
      if (missed.length > 0) {
        cursor = BigInt(missed[missed.length - 1]!.id);
        await stream.replay(Buffer.from(missed.map((request) => requestFrame(toSummary(request))).join('')), cursor);
      }
      if (missed.length < replayPage) break;
    }
    stream.goLive();
  } catch (error) {
    // Ending the stream makes the browser reconnect and try the replay again: nothing is skipped.
    console.error(`authbin: replaying missed events of bin "${bin}" failed: ${(error as Error).message}`);
    stream.close();
  }
}

/**
 * `GET /api/bins/{bin}/events`: Server-Sent Events, one `request` event per capture (SSE id = request id).
 * A client that comes back with `Last-Event-ID` first receives everything it missed, then the live ones.
 * Served by a real listener, events go straight to the Node response (see LiveStream).
 */
export function eventRoutes({ store }: AppDeps, hub: LiveHub) {
  return new Hono<AppEnv>().get('/:bin/events', async (c) => {
    const bin = binId(c.req.param('bin'));
    const lastEventId = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    const resumeFrom = lastEventId ? BigInt(requestId(lastEventId, 'Last-Event-ID')) : undefined;
    if (c.req.method === 'HEAD') return c.body(null, 200, sseHeaders);

    let out: Writable;
    let answer: Response;
    const outgoing = c.env?.outgoing;
    if (outgoing) {
      outgoing.writeHead(200, { ...sseHeaders, ...securityHeaderValues });
      out = outgoing;
      answer = RESPONSE_ALREADY_SENT;
    } else {
      // Under app.request() there is no Node response: stream through a web ReadableStream instead.
      const pipe = new PassThrough();
      out = pipe;
      answer = c.body(Readable.toWeb(pipe) as ReadableStream<Uint8Array>, 200, sseHeaders);
    }

    const stream = new LiveStream(out, { after: resumeFrom ?? 0n, ...hub.streamLimits });
    // Subscribe before replaying: live events wait in the stream, so none falls between replay and live.
    const unsubscribe = hub.subscribe(bin, stream);
    const closeStream = () => stream.close();
    hub.streamClosers.add(closeStream);
    stream.onClose(() => {
      unsubscribe();
      hub.streamClosers.delete(closeStream);
    });
    stream.send(readyFrame(bin));
    void replayThenLive(store, bin, stream, resumeFrom);
    return answer;
  });
}
