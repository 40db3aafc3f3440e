import { Hono } from 'hono';
import type { ReplayResult } from '../../shared/api.ts';
import type { AppDeps, AppEnv } from '../app-deps.ts';
import { ApiFailure } from '../errors.ts';
import { guardTarget, parseAllowList } from '../replay/allow-list.ts';
import { outboundHeaders } from '../replay/outbound-headers.ts';
import { replayPlan } from '../replay/replay-input.ts';
import { OutboundError, sendRequest } from '../replay/send-request.ts';
import { bodyText, headerText } from '../request-views.ts';
import { jsonBody, requestId } from './validate.ts';

/** `POST /api/requests/{id}/replay` → what the target answered. */

const maxResponseBytes = 1024 * 1024;
// Also bounds a replay aimed back at this very endpoint, which would otherwise recurse.
const maxReplaysInFlight = 8;

const statusByFailure = { not_allowed: 403, invalid: 400 } as const;

/**
 * Sends a stored request, or an edited copy, to a URL and answers with the response. Targets are
 * limited by AUTHBIN_REPLAY_ALLOW (loopback only by default). Mount under `/api/requests`.
 * Throws AllowListError when the setting is invalid.
 */
export function replayRoutes({ store, config }: AppDeps, { timeoutMs = 10_000 }: { timeoutMs?: number } = {}) {
  const allowList = parseAllowList(config.replayAllow);
  let inFlight = 0;

  return new Hono<AppEnv>().post('/:id/replay', async (c) => {
    const id = requestId(c.req.param('id'));
    const stored = await store.getRequest(id);
    if (!stored) throw new ApiFailure(404, 'request_not_found', `no request with id ${id}`);
    if (stored.parserError) {
      throw new ApiFailure(
        409,
        'refused_request',
        `request ${id} was refused by the HTTP parser (${stored.parserError}): it is kept to show what arrived, and is no valid request to send again. Fix the sender and send it anew`,
      );
    }
    const plan = replayPlan(await jsonBody(c), stored);
    if (inFlight >= maxReplaysInFlight) {
      throw new ApiFailure(429, 'too_many_replays', `at most ${maxReplaysInFlight} replays run at once; try again shortly`, { 'Retry-After': '1' });
    }
    inFlight++;
    try {
      const response = await sendRequest({
        origin: plan.url,
        method: plan.method,
        path: plan.url.pathname + plan.url.search,
        headers: outboundHeaders(plan.headers, { host: plan.url.host, bodyLength: plan.body.byteLength, method: plan.method }),
        body: plan.body,
        timeoutMs,
        maxResponseBytes,
        lookup: guardTarget(allowList, plan.url),
        signal: c.req.raw.signal,
      });
      const text = response.truncated ? undefined : bodyText(response.body);
      const result: ReplayResult = {
        status: response.status,
        headers: response.headers.map(([name, value]) => [headerText(name), headerText(value)]),
        body: { size: response.size, truncated: response.truncated, base64: response.body.toString('base64'), ...(text !== undefined && { text }) },
        timing: { totalMs: response.totalMs },
      };
      return c.json(result, 200);
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      const status = error.reason === 'not_allowed' || error.reason === 'invalid' ? statusByFailure[error.reason] : 502;
      throw new ApiFailure(status, `target_${error.reason}`, error.message);
    } finally {
      inFlight--;
    }
  });
}
