import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { readRefusedHead, refusedRequestStart, type RefusedHead } from '../../shared/http/refused-head.ts';
import { sessionCookie } from '../access.ts';
import type { AppDeps } from '../app-deps.ts';
import { ApiFailure } from '../errors.ts';
import { refusalOf } from '../request-views.ts';
import type { Relay } from '../forward/relay.ts';
import type { CaptureAdmission } from './admission.ts';
import { parseCaptureTarget } from './request-target.ts';
import { sandboxHeaders } from './sandbox.ts';
import { StorageFailures } from './storage-failures.ts';

/** Node's own limit on a request head; a refused request is kept up to it, never more. */
export const refusedBytesLimit = 16 * 1024;

/** What Node's parser attaches to the error it reports (see `prepareError` in node's lib/_http_server.js). */
interface ParserError extends Error {
  code?: string;
  /** The chunk the parser was executing when it failed. */
  rawPacket?: Buffer;
  /** Where in that chunk it stopped. */
  bytesParsed?: number;
}

/** The socket as Node's server keeps it: the response in flight, if any. */
type ServerSocket = Socket & { _httpMessage?: { _headerSent: boolean } | null };

/** The answers Node gives when nobody listens to `clientError`, kept byte for byte. */
const nodeAnswers: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * Answers what Node's HTTP parser refuses, as Node would (its status, `Connection: close`), and
 * keeps and explains a refused request head that names a bin: a header value wrapped by `base64`,
 * a stray CR, a space before a colon, a NUL. Such a request is stored in its bin, marked with the
 * parser's error code, its bytes as received (up to 16 KiB) as its body, after the same admission
 * as any capture; the sender reads why in the `400`'s text body.
 *
 * Only the chunk the parser was executing is looked at (no socket is tapped: that would take the
 * socket off Node's native parsing path for every capture). A head that arrived in several reads
 * is answered 400 saying it could not be matched to a bin. A head whose framing is ambiguous
 * (Transfer-Encoding, or anything but one plain Content-Length) is a smuggling shape: answered as
 * Node would, not stored. So are refused bodies, header floods and timeouts.
 */
export function answerRefusedRequests(
  server: Server,
  { store, config, admission, relay }: Pick<AppDeps, 'store' | 'config'> & { admission: CaptureAdmission; relay: Relay },
): void {
  // Node keeps feeding a failed parser whatever else arrives, and reports each time: one answer per socket.
  const answered = new WeakSet<Socket>();
  const storageFailures = new StorageFailures();
  let unmatched = 0;
  server.on('clientError', (error: ParserError, socket: ServerSocket) => {
    if (answered.has(socket)) return;
    answered.add(socket);
    // Node writes nothing once the answer in flight has started, and nothing to a closed socket.
    if (!socket.writable || socket._httpMessage?._headerSent) {
      socket.destroy(error);
      return;
    }
    const code = error.code ?? '';
    const nodeStatus = nodeAnswers[code];
    if (nodeStatus !== undefined) return answer(socket, nodeStatus, {}, '');
    // The socket is this handler's now, as an upgraded one is its handler's: Node's HTTP server
    // would otherwise end it as soon as a client that sent everything half-closes, before the answer.
    socket.removeAllListeners('end');
    void keepRefused(error, code, socket).then(
      (reply) => answer(socket, reply.status, reply.headers, reply.text),
      (failure: unknown) => {
        if (failure instanceof ApiFailure) return answer(socket, failure.status, failure.headers, `authbin: ${failure.message}\n`);
        // Only the error, never the request: it holds credentials. The sender gets Node's own answer.
        console.error(`authbin: internal error on a request the HTTP parser refused: ${(failure as Error).stack ?? String(failure)}`);
        answer(socket, 400, {}, '');
      },
    );
  });

  async function keepRefused(error: ParserError, code: string, socket: Socket): Promise<{ status: number; headers: Record<string, string>; text: string }> {
    const refused = { status: 400, headers: {}, text: '' };
    // A socket error (a reset) comes this way too, without a chunk: nothing of it was parsed.
    if (!error.rawPacket || !code.startsWith('HPE_')) return refused;
    const chunk = error.rawPacket.toString('latin1');
    const start = refusedRequestStart(chunk, error.bytesParsed ?? chunk.length);
    if (start === 'body' || start === 'request-line') return refused;
    if (start === 'earlier-read') {
      // Counted in the log at 1, 10, 100…: how often the one-read limit bites, without a line per request.
      unmatched++;
      if (/^10*$/.test(String(unmatched))) {
        console.log(`authbin: ${unmatched} request${unmatched === 1 ? '' : 's'} refused by the HTTP parser could not be matched to a bin so far: the head arrived in more than one read`);
      }
      return {
        ...refused,
        text: `authbin: this request was refused by the HTTP parser (${code}). Its head arrived in more than one piece, so authbin cannot tell which bin it was for: nothing was stored.\n`,
      };
    }
    const received = error.rawPacket.subarray(start, start + refusedBytesLimit);
    const head = readRefusedHead(received.toString('latin1'));
    const target = parseCaptureTarget(head.target);
    if (!target || hasAmbiguousFraming(head, chunk.slice(start))) return refused;
    // Its bytes are kept as they arrived, so authbin's login cookie could not be taken out of them.
    if (head.headers.some(([name, value]) => name.toLowerCase() === 'cookie' && value.includes(sessionCookie))) {
      return { ...refused, text: `authbin: this request was refused by the HTTP parser: ${sentence(refusalOf(code, received).explanation)} It carries authbin's login cookie, so it was not stored.\n` };
    }

    const { remoteAddress, remotePort } = senderOf(head, socket, config.trustProxy);
    const close = () => ({ Connection: 'close' });
    admission.checkRate(remoteAddress, close);
    await admission.admitBin(target.bin, close);
    let stored;
    try {
      stored = await store.capture({
        bin: target.bin,
        path: target.path,
        query: target.query,
        receivedAt: Date.now(),
        method: head.method,
        httpVersion: head.httpVersion,
        remoteAddress,
        remotePort,
        headers: head.headers,
        body: received,
        bodySize: received.length,
        truncated: chunk.length - start > refusedBytesLimit,
        parserError: code,
      });
      storageFailures.stored();
    } catch (failure) {
      storageFailures.failed(target.bin, failure as Error);
      throw new ApiFailure(503, 'storage_unavailable', 'this request was refused by the HTTP parser, and authbin could not store it right now', { 'Retry-After': '5' });
    }
    // The relay records why it is not sent on, as it does for a truncated capture.
    relay(stored);
    return { ...refused, text: `authbin: this request was refused by the HTTP parser: ${sentence(refusalOf(code, received).explanation)} Stored as request ${stored.id} in bin ${target.bin}.\n` };
  }
}

/** An explanation as a sentence of the answer: some end with their fix's full stop already. */
function sentence(explanation: string): string {
  return explanation.endsWith('.') ? explanation : `${explanation}.`;
}

/**
 * A head that says anything but one plain Content-Length about where its body ends: what follows it
 * could be read as another request (smuggling), so it is refused as it is, never stored. Counted in
 * the text as received, not the best-effort reading, so that a name a stray CR hid still counts.
 */
function hasAmbiguousFraming(head: RefusedHead, received: string): boolean {
  if (/transfer-encoding/i.test(received.slice(0, headLength(received)))) return true;
  const mentions = received.slice(0, headLength(received)).match(/content-length/gi)?.length ?? 0;
  if (mentions === 0) return false;
  const lengths = head.headers.filter(([name]) => name.toLowerCase() === 'content-length');
  return mentions > 1 || lengths.length !== 1 || !/^\d+$/.test(lengths[0]![1]);
}

function headLength(received: string): number {
  const end = /\r?\n\r?\n/.exec(received);
  return end ? end.index : received.length;
}

/** The sender as capture records it: the first `X-Forwarded-For` address behind a trusted proxy, else the socket's. */
function senderOf(head: RefusedHead, socket: Socket, trustProxy: boolean): { remoteAddress: string | null; remotePort: number | null } {
  const forwarded = trustProxy ? head.headers.find(([name]) => name.toLowerCase() === 'x-forwarded-for')?.[1].split(',')[0]?.trim() : undefined;
  if (forwarded) return { remoteAddress: forwarded, remotePort: null };
  return { remoteAddress: socket.remoteAddress ?? null, remotePort: socket.remotePort ?? null };
}

/** Writes a whole answer and closes, as Node's own answers to a parser error do; a body only when there is text. */
function answer(socket: Socket, status: number, headers: Record<string, string>, text: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n`;
  if (text !== '') {
    const fields = { ...sandboxHeaders, ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) };
    for (const [name, value] of Object.entries(fields)) if (name !== 'Connection') head += `${name}: ${value}\r\n`;
  }
  socket.end(`${head}Connection: close\r\n\r\n${text}`, () => socket.destroy());
}
