import type { ForwardResult } from '../../shared/api.ts';
import { targetUrl } from '../../shared/export/request-parts.ts';
import type { AppDeps } from '../app-deps.ts';
import { guardTarget, parseAllowList } from '../replay/allow-list.ts';
import { outboundHeaders } from '../replay/outbound-headers.ts';
import { OutboundError, sendRequest } from '../replay/send-request.ts';
import type { StoredRequest } from '../store/store.ts';
import { forwardLoop } from './forward-loop.ts';
import { forwardHops, hopsHeader, maxForwardHops, withHops } from './hops.ts';
import { relayPath } from './relay-path.ts';

const relayTimeoutMs = 10_000;
const keptResponseBytes = 64 * 1024;
const maxInFlight = 16;
/** Past this many waiting relays, new ones are recorded as dropped rather than queued without end. */
const maxQueued = 1000;

/**
 * Relays each captured request of a bin that has `forwardTo` to that URL, byte for byte (as
 * `authbin forward` does from outside), after the capture is acknowledged, and records how it
 * went on the request. Targets obey AUTHBIN_REPLAY_ALLOW, like replays. The captured sub-path
 * is appended to the target's path with its dot segments resolved, so it cannot climb out; an
 * `Authbin-Forward-Hops` header counts the relays, so that loops between instances end.
 */
/** Hands a stored capture to its bin's relay, if the bin has one; never throws. */
export type Relay = (request: StoredRequest) => void;

export function createRelay({ store, config, listenAddress }: AppDeps): Relay {
  const allowList = parseAllowList(config.replayAllow);
  const queue: { request: StoredRequest; forwardTo: string }[] = [];
  let inFlight = 0;

  const record = (request: StoredRequest, result: Omit<ForwardResult, 'at'>) =>
    store.recordForward(request.id, { ...result, at: new Date().toISOString() }).catch((error: Error) => {
      console.error(`authbin: could not record the relay of request ${request.id}: ${error.message}`);
    });

  /** Why a capture is not relayed at all, when it is not. */
  async function skipped(request: StoredRequest, base: URL, hops: number): Promise<string | undefined> {
    if (request.parserError) return 'not relayed: the HTTP parser refused this request, so there is no valid request to send on';
    if (request.truncated) return 'the body was stored truncated, so it was not relayed';
    if (hops >= maxForwardHops) {
      return `not relayed: it came with ${hopsHeader}: ${hops}, so it has been relayed ${hops} times already (a loop between instances?); the limit is ${maxForwardHops}`;
    }
    // Checked again here: a bin set before the API checked this, or a name that now resolves here.
    const loop = await forwardLoop(base, { listening: listenAddress?.() });
    return loop && `not relayed: ${loop}`;
  }

  async function relay(request: StoredRequest, forwardTo: string): Promise<void> {
    const base = new URL(forwardTo);
    const hops = forwardHops(request.headers);
    const reason = await skipped(request, base, hops);
    if (reason) {
      await record(request, { target: forwardTo, status: null, durationMs: 0, error: reason });
      return;
    }
    const started = Date.now();
    try {
      const response = await sendRequest({
        origin: base,
        method: request.method,
        path: targetUrl(base.pathname + base.search, { path: relayPath(request.path), query: request.query }),
        headers: outboundHeaders(withHops(request.headers, hops + 1), { host: base.host, bodyLength: request.body.byteLength, method: request.method }),
        body: request.body,
        timeoutMs: relayTimeoutMs,
        maxResponseBytes: keptResponseBytes,
        lookup: guardTarget(allowList, base),
      });
      await record(request, { target: forwardTo, status: response.status, durationMs: response.totalMs, error: null });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await record(request, { target: forwardTo, status: null, durationMs: Date.now() - started, error: message });
      if (!(error instanceof OutboundError)) throw error;
    }
  }

  function next(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const { request, forwardTo } = queue.shift()!;
      inFlight++;
      relay(request, forwardTo)
        .catch((error: Error) => console.error(`authbin: relaying request ${request.id} failed: ${error.message}`))
        .finally(() => {
          inFlight--;
          next();
        });
    }
  }

  return (request) => {
    store.binForwardTo(request.bin).then((forwardTo) => {
      if (!forwardTo) return;
      if (queue.length >= maxQueued) {
        void record(request, { target: forwardTo, status: null, durationMs: 0, error: `not relayed: more than ${maxQueued} relays were waiting` });
        return;
      }
      queue.push({ request, forwardTo });
      next();
    }, (error: Error) => console.error(`authbin: could not read the forwarding of bin ${request.bin}: ${error.message}`));
  };
}
