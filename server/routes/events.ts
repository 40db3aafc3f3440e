import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { RequestSummary } from '../../shared/api.ts';
import type { AppDeps, AppEnv } from '../app-env.ts';
import type { LiveHub } from '../live/hub.ts';
import { toSummary } from '../views.ts';
import { binId, requestId } from './validate.ts';

const replayPage = 200;
const heartbeatMs = 15_000;

/**
 * `GET /api/bins/{bin}/events`: Server-Sent Events, one `request` event per capture (SSE id = request id).
 * A client that comes back with `Last-Event-ID` first receives everything it missed, then the live ones.
 */
export function eventRoutes({ store }: AppDeps, hub: LiveHub) {
  return new Hono<AppEnv>().get('/:bin/events', async (c) => {
    const bin = binId(c.req.param('bin'));
    const lastEventId = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    const resumeFrom = lastEventId ? requestId(lastEventId, 'Last-Event-ID') : undefined;
    c.header('X-Accel-Buffering', 'no');
    c.header('Cache-Control', 'no-cache, no-transform');

    return streamSSE(c, async (stream) => {
      // Subscribe before replaying, queueing live events, so nothing falls between replay and live.
      const queued: RequestSummary[] = [];
      let replaying = true;
      let lastSent = BigInt(resumeFrom ?? 0);
      let wake: (() => void) | undefined;
      const send = async (summary: RequestSummary) => {
        if (BigInt(summary.id) <= lastSent) return;
        lastSent = BigInt(summary.id);
        await stream.writeSSE({ event: 'request', id: summary.id, data: JSON.stringify(summary) });
      };
      const unsubscribe = hub.subscribe(bin, (summary) => {
        queued.push(summary);
        if (!replaying) wake?.();
      });
      let closeStream!: () => void;
      const closed = new Promise<void>((resolve) => (closeStream = resolve));
      hub.streamClosers.add(closeStream);
      stream.onAbort(closeStream);
      let open = true;
      closed.then(() => {
        open = false;
        wake?.();
      });

      try {
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ bin }), retry: 1000 });
        if (resumeFrom !== undefined) {
          for (;;) {
            const missed = await store.requestsAfter(bin, String(lastSent), replayPage);
            for (const request of missed) await send(toSummary(request));
            if (missed.length < replayPage) break;
          }
        }
        replaying = false;
        while (open) {
          while (queued.length > 0) await send(queued.shift()!);
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, heartbeatMs).unref();
          });
          wake = undefined;
          if (open && queued.length === 0) await stream.write(': keep-alive\n\n');
        }
      } finally {
        unsubscribe();
        hub.streamClosers.delete(closeStream);
      }
    });
  });
}
