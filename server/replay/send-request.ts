/**
 * Sends one HTTP request with node:http(s) exactly as given — header names, case, order and
 * duplicates, raw path — which fetch cannot do, and reads a capped response.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export type HeaderPair = [string, string];

export interface OutboundRequest {
  /** Scheme, host and port to connect to (its path is not used). */
  origin: URL;
  method: string;
  /** The request target as sent: path and query, bytes as latin1 characters. */
  path: string;
  /** Sent exactly in this order; must include Host and the body's framing. Values are latin1 byte strings. */
  headers: HeaderPair[];
  body: Uint8Array;
  /** Whole exchange, connect to last response byte. */
  timeoutMs: number;
  maxResponseBytes: number;
  lookup?: LookupFunction;
  signal?: AbortSignal;
}

export interface OutboundResponse {
  status: number;
  headers: HeaderPair[];
  /** The first `maxResponseBytes` of the body. */
  body: Buffer;
  /** The body's full size when the response declared it, otherwise the bytes read. */
  size: number;
  truncated: boolean;
  totalMs: number;
}

export type OutboundFailure = 'refused' | 'timeout' | 'dns' | 'tls' | 'reset' | 'not_allowed' | 'aborted' | 'invalid' | 'failed';

/** Why no response came back, with a message fit for the user. */
export class OutboundError extends Error {
  constructor(
    readonly reason: OutboundFailure,
    message: string,
  ) {
    super(message);
  }
}

function describe(error: NodeJS.ErrnoException, target: string, timeoutMs: number): OutboundError {
  if (error instanceof OutboundError) return error;
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') return new OutboundError('refused', `${target} refused the connection`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new OutboundError('dns', `cannot resolve the host of ${target}`);
  if (code === 'ECONNRESET' || code === 'EPIPE') return new OutboundError('reset', `${target} closed the connection before answering`);
  if (code === 'ABORT_ERR') return new OutboundError('aborted', 'the request was cancelled');
  if (code === 'ETIMEDOUT') return new OutboundError('timeout', `${target} did not answer within ${timeoutMs / 1000} s`);
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return new OutboundError('tls', `TLS with ${target} failed: ${error.message}`);
  return new OutboundError('failed', `sending to ${target} failed: ${error.message}`);
}

/**
 * Sends the request and resolves with the response, or rejects with an OutboundError (the
 * lookup's own errors, such as an allow list refusal, come back as they were thrown).
 */
export function sendRequest(outbound: OutboundRequest): Promise<OutboundResponse> {
  const started = performance.now();
  const { origin } = outbound;
  const target = origin.host;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(describe(error, target, outbound.timeoutMs));
    };
    const send = origin.protocol === 'https:' ? httpsRequest : httpRequest;
    const flat = outbound.headers.flat();
    let req: ReturnType<typeof httpRequest>;
    try {
      req = send({
        protocol: origin.protocol,
        hostname: origin.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: origin.port || undefined,
        method: outbound.method,
        path: outbound.path,
        headers: flat,
        agent: false,
        // Node would otherwise add a Host header of its own only when none is given: ours is.
        setHost: false,
        ...(outbound.lookup && { lookup: outbound.lookup }),
        ...(outbound.signal && { signal: outbound.signal }),
      });
    } catch (error) {
      // node:http refuses invalid methods, paths and header characters before connecting.
      reject(new OutboundError('invalid', (error as Error).message));
      return;
    }
    const timer = setTimeout(() => fail(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), outbound.timeoutMs);
    req.on('error', fail);
    req.on('response', (res: IncomingMessage) => readResponse(res));
    req.end(outbound.body.byteLength > 0 ? outbound.body : undefined);

    function readResponse(res: IncomingMessage) {
      const chunks: Buffer[] = [];
      let received = 0;
      let truncated = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const headers: HeaderPair[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        const declared = Number(res.headers['content-length']);
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode!,
          headers,
          body,
          size: truncated && Number.isSafeInteger(declared) ? declared : Math.max(received, body.length),
          truncated,
          totalMs: Math.round(performance.now() - started),
        });
        if (truncated) req.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        const room = outbound.maxResponseBytes - (received - chunk.length);
        if (room < chunk.length) {
          if (room > 0) chunks.push(chunk.subarray(0, room));
          truncated = true;
          finish();
        } else chunks.push(chunk);
      });
      res.on('end', finish);
      res.on('error', fail);
      res.on('close', () => {
        if (!res.complete) fail(Object.assign(new Error('the response was cut short'), { code: 'ECONNRESET' }));
      });
    }
  });
}
