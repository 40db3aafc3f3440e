import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../app-deps.ts';
import { ApiFailure } from '../errors.ts';
import { matchesFilter } from '../store/request-filter.ts';
import type { StoredRequest } from '../store/store.ts';
import { listenerOf, toDetail } from '../request-views.ts';
import { answerOf } from '../rules/answer-of.ts';
import { requestFilter } from './filter.ts';
import { binId, requestId } from './validate.ts';

const maxTimeoutSeconds = 300;
const scanPage = 200;

/**
 * For scripts and CI: `latest` gives the newest request of a bin that matches the filter;
 * `next` waits (long-polls) for the first matching request after `after`, or answers 204 at the timeout.
 */
export function waitRoutes({ store, config }: AppDeps) {
  const listener = listenerOf(config);
  return new Hono<AppEnv>()
    .get('/:bin/requests/latest', async (c) => {
      const bin = binId(c.req.param('bin'));
      const [latest] = (await store.listRequests(bin, { limit: 1, filter: requestFilter(c) })).requests;
      if (!latest) throw new ApiFailure(404, 'request_not_found', `bin "${bin}" has no matching request`);
      return c.json(toDetail(latest, listener, answerOf(latest)), 200);
    })
    .get('/:bin/requests/next', async (c) => {
      const bin = binId(c.req.param('bin'));
      const filter = requestFilter(c);
      const timeoutText = c.req.query('timeout') ?? '30';
      const timeout = Number(timeoutText);
      if (!/^\d+(\.\d+)?$/.test(timeoutText) || timeout > maxTimeoutSeconds) {
        throw new ApiFailure(400, 'invalid_timeout', `"timeout" must be a number of seconds from 0 to ${maxTimeoutSeconds}`);
      }
      const afterText = c.req.query('after');
      // Without `after`, wait for a request newer than any the bin has now. `after=0` is the bin's
      // start: what a script passes on when `latest` found nothing yet (README, "Wait for a webhook in CI").
      const after =
        afterText === undefined ? BigInt((await store.listRequests(bin, { limit: 1 })).requests[0]?.id ?? 0) : afterText === '0' ? 0n : BigInt(requestId(afterText, 'after'));

      // Listen before looking, so a request committed in between is not missed.
      const arrived: StoredRequest[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = store.onCapture((request) => {
        if (request.bin === bin && BigInt(request.id) > after && matchesFilter(request, filter)) {
          arrived.push(request);
          wake?.();
        }
      });
      try {
        let cursor = after;
        for (;;) {
          const stored = await store.requestsAfter(bin, String(cursor), scanPage);
          const match = stored.find((request) => matchesFilter(request, filter));
          if (match) return c.json(toDetail(match, listener, answerOf(match)), 200);
          if (stored.length < scanPage) break;
          cursor = BigInt(stored[stored.length - 1]!.id);
        }
        if (arrived.length === 0 && timeout > 0) {
          // Waiting in silence is the point here: lift the idle-socket timeout for this one.
          c.env?.incoming?.socket.setTimeout(0);
          await new Promise<void>((resolve) => {
            wake = resolve;
            const timer = setTimeout(resolve, timeout * 1000);
            c.req.raw.signal.addEventListener('abort', () => {
              clearTimeout(timer);
              resolve();
            });
          });
        }
        const first = arrived[0];
        return first ? c.json(toDetail(first, listener, answerOf(first)), 200) : c.body(null, 204);
      } finally {
        unsubscribe();
      }
    });
}
