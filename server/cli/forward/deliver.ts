/** Sends a captured request on to the local target, byte for byte, and describes the outcome in one line. */
import { targetUrl } from '../../../shared/export/request-parts.ts';
import { relayPath } from '../../forward/relay-path.ts';
import { outboundHeaders } from '../../replay/outbound-headers.ts';
import { OutboundError, sendRequest } from '../../replay/send-request.ts';
import type { RawRequest } from './raw-message.ts';

/** A local server may sit on a breakpoint for a while. */
const deliveryTimeoutMs = 30_000;
/** Only the status is shown: the rest of the response is read and dropped. */
const keptResponseBytes = 64 * 1024;

export interface DeliveryOutcome {
  ok: boolean;
  /** `→ 200 in 12 ms  POST /webhook/zendesk  #123`, or `✗ …` with the reason. */
  line: string;
}

/** The target's path and query for a request sent to `/b/{bin}{subPath}?{query}`: the sub-path cannot climb above the target's. */
export function forwardedPath(raw: RawRequest, bin: string, target: URL): string {
  const rest = raw.target.slice(`/b/${bin}`.length);
  const queryStart = rest.indexOf('?');
  const path = queryStart === -1 ? rest : rest.slice(0, queryStart);
  const query = queryStart === -1 ? '' : rest.slice(queryStart + 1);
  return targetUrl(target.pathname + target.search, { path: relayPath(path === '' ? '/' : path), query });
}

function shown(path: string): string {
  return path.length > 80 ? `${path.slice(0, 79)}…` : path;
}

/** Sends the request to the target: same method, headers in order (Host rewritten, hop-by-hop dropped), raw body. */
export async function deliver(raw: RawRequest, id: string, bin: string, target: URL, signal: AbortSignal): Promise<DeliveryOutcome> {
  const path = forwardedPath(raw, bin, target);
  const what = `${raw.method} ${shown(path)}  #${id}`;
  try {
    const response = await sendRequest({
      origin: target,
      method: raw.method,
      path,
      headers: outboundHeaders(raw.headers, { host: target.host, bodyLength: raw.body.length, method: raw.method }),
      body: raw.body,
      timeoutMs: deliveryTimeoutMs,
      maxResponseBytes: keptResponseBytes,
      signal,
    });
    return { ok: true, line: `→ ${response.status} in ${response.totalMs} ms  ${what}` };
  } catch (error) {
    if (!(error instanceof OutboundError) || error.reason === 'aborted') throw error;
    return { ok: false, line: `✗ ${error.message}  ${what}` };
  }
}
