import { Hono, type Context } from 'hono';
import type { BinResponse, CaptureAck } from '../../shared/api.ts';
import type { HeaderPair } from '../../shared/auth/types.ts';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { discardRest } from '../capture/discard-rest.ts';
import { readCappedBody, type CappedBody } from '../capture/read-body.ts';
import { parseCaptureTarget } from '../capture/request-target.ts';
import { ApiFailure, errorBody } from '../errors.ts';
import type { CapturedRequest, StoredRequest } from '../store/store.ts';

const bodylessStatuses = new Set([101, 103, 204, 205, 304]);

/** `ANY /b/{bin}[/sub/path]`: records the request exactly as it arrived, then answers as the bin is set to. */
export function captureRoutes({ store, config }: AppDeps, relay: (request: StoredRequest) => void) {
  return new Hono<AppEnv>().all('/*', async (c) => {
    const receivedAt = Date.now();
    const incoming = c.env?.incoming;
    const target = parseCaptureTarget(incoming?.url ?? rawTargetOf(c.req.url));
    if (!target) {
      throw new ApiFailure(404, 'bad_bin', 'no such bin: a bin name is 1–64 characters of letters, digits, "_" or "-", as in /b/my-bin');
    }
    const { body, size, truncated } = incoming
      ? await readCappedBody(incoming, config.maxBodyBytes).catch((error: Error) => {
          // The client went away mid-body: nothing was acknowledged, nothing is stored.
          throw new ApiFailure(400, 'incomplete_body', error.message);
        })
      : await readFetchBody(c.req.raw, config.maxBodyBytes);
    const { remoteAddress, remotePort } = remoteOf(c, config.trustProxy);
    // Spelled out rather than spread: V8 builds a literal of known shape much faster, on every capture.
    const request: CapturedRequest = {
      bin: target.bin,
      path: target.path,
      query: target.query,
      receivedAt,
      method: c.req.method,
      httpVersion: incoming?.httpVersion ?? '1.1',
      remoteAddress,
      remotePort,
      headers: incoming ? pairs(incoming.rawHeaders) : [...c.req.raw.headers],
      body,
      bodySize: size,
      truncated,
    };
    let id: string;
    try {
      const stored = await store.capture(request);
      id = stored.id;
      relay(stored);
    } catch (error) {
      console.error(`authbin: could not store a request for bin ${target.bin}: ${(error as Error).message}`);
      throw new ApiFailure(503, 'storage_unavailable', 'authbin could not store this request right now; try again shortly', { 'Retry-After': '5' });
    }

    const cors = corsHeaders(c);
    if (truncated) {
      if (incoming) discardRest(incoming, config.maxBodyBytes);
      return c.json(
        errorBody('body_too_large', `the body is larger than ${config.maxBodyBytes} bytes; its first ${config.maxBodyBytes} bytes were stored as request ${id}`),
        413,
        cors,
      );
    }
    if (isPreflight(c)) return preflightResponse(c, cors);

    const custom = await store.binResponse(target.bin);
    if (custom?.delayMs) await new Promise((resolve) => setTimeout(resolve, custom.delayMs));
    return custom ? customResponse(c, custom, cors) : c.json({ ok: true, id } satisfies CaptureAck, 200, cors);
  });
}

function rawTargetOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

/** `rawHeaders` is a flat [name, value, name, value…] list. */
function pairs(rawHeaders: string[]): HeaderPair[] {
  const result: HeaderPair[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) result.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return result;
}

async function readFetchBody(request: Request, cap: number): Promise<CappedBody> {
  const bytes = Buffer.from(await request.arrayBuffer());
  return { body: bytes.subarray(0, cap), size: bytes.length, truncated: bytes.length > cap };
}

/**
 * A request header, read from Node's own parsed headers when there are some: going through
 * `c.req.header` would build a whole fetch `Headers` object on every capture.
 */
function headerOf(c: Context<AppEnv>, name: string): string | undefined {
  const incoming = c.env?.incoming;
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function remoteOf(c: Context<AppEnv>, trustProxy: boolean): { remoteAddress: string | null; remotePort: number | null } {
  const socket = c.env?.incoming?.socket;
  const forwarded = trustProxy ? headerOf(c, 'x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  if (forwarded) return { remoteAddress: forwarded, remotePort: null };
  return { remoteAddress: socket?.remoteAddress ?? null, remotePort: socket?.remotePort ?? null };
}

function isPreflight(c: Context<AppEnv>): boolean {
  return c.req.method === 'OPTIONS' && headerOf(c, 'access-control-request-method') !== undefined;
}

/** Browsers may send to a bin from any page, with or without credentials. */
function corsHeaders(c: Context<AppEnv>): Record<string, string> {
  const origin = headerOf(c, 'origin');
  return origin
    ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Expose-Headers': '*', Vary: 'Origin' }
    : { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': '*' };
}

function preflightResponse(c: Context<AppEnv>, cors: Record<string, string>): Response {
  const headers: Record<string, string> = {
    ...cors,
    'Access-Control-Allow-Methods': headerOf(c, 'access-control-request-method')!,
    'Access-Control-Max-Age': '600',
  };
  const asked = headerOf(c, 'access-control-request-headers');
  if (asked) headers['Access-Control-Allow-Headers'] = asked;
  return c.body(null, 204, headers);
}

function customResponse(c: Context<AppEnv>, custom: BinResponse, cors: Record<string, string>): Response {
  const status = custom.status ?? 200;
  const headers = new Headers(cors);
  for (const [name, value] of Object.entries(custom.headers ?? {})) headers.set(name, value);
  const body = custom.body ?? '';
  if (!headers.has('content-type') && body !== '') headers.set('content-type', 'text/plain; charset=utf-8');
  const noBody = c.req.method === 'HEAD' || bodylessStatuses.has(status);
  return new Response(noBody ? null : body, { status, headers });
}
