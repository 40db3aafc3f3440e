/** The two calls `authbin forward` makes to an authbin: its live event stream and a request's raw bytes. */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A problem that retrying will not fix (bad token, not an authbin, unknown bin): stop and say so. */
export class FatalError extends Error {}

/** The request was deleted (by retention or a user) before it could be read. */
class GoneError extends Error {}

export interface AuthbinClient {
  /** The authbin's base URL (scheme, host, any path prefix before `/b/`), without a trailing slash. */
  base: string;
  bin: string;
  token: string | undefined;
}

/** Events that stop for this long (the server sends a keep-alive every 15 s) mean a dead connection. */
const idleTimeoutMs = 45_000;
const rawTimeoutMs = 30_000;

function get(url: string, headers: Record<string, string>, signal: AbortSignal, timeoutMs: number): Promise<IncomingMessage> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'GET', headers, signal, agent: false }, resolve);
    // An idle timeout on the socket: it restarts with every byte received.
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no data from ${new URL(url).host} for ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

/** authbin's `{ error: { code, message } }`, or the bare status for anything else. */
async function errorOf(response: IncomingMessage): Promise<{ code: string; message: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  try {
    const { error } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { code?: string; message?: string } };
    if (error?.message) return { code: error.code ?? '', message: error.message };
  } catch {
    // not JSON: fall through
  }
  return { code: '', message: `HTTP ${response.statusCode}` };
}

async function failure(response: IncomingMessage, client: AuthbinClient, what: string): Promise<Error> {
  const status = response.statusCode ?? 0;
  const { code, message } = await errorOf(response);
  if (status === 404 && code === 'request_not_found') return new GoneError(message);
  if (status === 401) {
    return new FatalError(client.token ? `${client.base} refused the token (${message})` : `${client.base} needs a token: pass --token or set AUTHBIN_TOKEN`);
  }
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return new FatalError(`${what} failed: ${message}`);
  return new Error(`${what}: ${message}`);
}

function authHeaders(client: AuthbinClient): Record<string, string> {
  return client.token ? { Authorization: `Bearer ${client.token}` } : {};
}

/** Opens `GET /api/bins/{bin}/events`, resuming after `lastEventId` when given. */
export async function openEventStream(client: AuthbinClient, lastEventId: string | undefined, signal: AbortSignal): Promise<IncomingMessage> {
  const url = `${client.base}/api/bins/${client.bin}/events`;
  const response = await get(
    url,
    { Accept: 'text/event-stream', 'Cache-Control': 'no-cache', ...authHeaders(client), ...(lastEventId && { 'Last-Event-ID': lastEventId }) },
    signal,
    idleTimeoutMs,
  );
  if (response.statusCode !== 200) throw await failure(response, client, 'opening the event stream');
  if (!(response.headers['content-type'] ?? '').startsWith('text/event-stream')) {
    response.destroy();
    throw new FatalError(`${url} is not an authbin event stream (Content-Type ${response.headers['content-type'] ?? 'none'})`);
  }
  return response;
}

export interface RawCapture {
  bytes: Buffer;
  truncated: boolean;
  /** The HTTP parser's error code when it refused the request (then `bytes` are what arrived, not a valid request). */
  refused: string | null;
}

/** `GET /api/requests/{id}/raw`: the request's exact bytes; undefined when it no longer exists. */
export async function fetchRaw(client: AuthbinClient, id: string, signal: AbortSignal): Promise<RawCapture | undefined> {
  const response = await get(`${client.base}/api/requests/${id}/raw`, authHeaders(client), signal, rawTimeoutMs);
  if (response.statusCode !== 200) {
    const error = await failure(response, client, `reading request #${id}`);
    if (error instanceof GoneError) return undefined;
    throw error;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const refused = response.headers['x-authbin-refused'];
  return { bytes: Buffer.concat(chunks), truncated: response.headers['x-authbin-body-truncated'] === 'true', refused: typeof refused === 'string' ? refused : null };
}
