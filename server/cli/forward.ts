/**
 * `authbin forward`: relays every new request a bin captures on a (public) authbin to a local
 * server, byte for byte, so webhook signatures still verify. Resumes after a disconnect with
 * Last-Event-ID, never skipping or repeating a request.
 */
import { parseArgs } from 'node:util';
import { isBinName } from '../../shared/http/bin-name.ts';
import { FatalError, fetchRaw, openEventStream, type AuthbinClient } from './forward/authbin-api.ts';
import { deliver } from './forward/deliver.ts';
import { parseRawRequest } from './forward/raw-message.ts';
import { readServerSentEvents } from './forward/sse-reader.ts';
import type { CliIo } from './io.ts';

export const forwardUsage = `Usage: authbin forward --from <bin URL> --to <target URL> [--token T] [--after ID] [--once | --count N]

Sends every new request a bin captures on to a local server, byte for byte: same method, query,
headers in order (Host rewritten, hop-by-hop ones dropped) and raw body, so signatures still verify.
The path after the bin is appended to --to. Prints one line per delivery; Ctrl-C stops.

  --from URL    the bin on an authbin, such as https://authbin.example.com/b/my-bin
  --to URL      where to send each request, such as http://localhost:3000/webhook
  --token T     the authbin's token; better: set AUTHBIN_TOKEN, which stays out of the process list
  --after ID    first send the requests captured after request ID (to catch up)
  --once        exit after one request
  --count N     exit after N requests
`;

export interface ForwardOptions {
  /** Stops the forwarder (it resolves with 0); without one it runs until Ctrl-C or a fatal error. */
  signal?: AbortSignal;
  /** AUTHBIN_TOKEN is read from here when --token is not given. */
  env?: Record<string, string | undefined>;
}

const firstRetryMs = 500;
const maxRetryMs = 5_000;

class UsageProblem extends Error {}

interface Settings {
  client: AuthbinClient;
  from: string;
  target: URL;
  after: string | undefined;
  limit: number | undefined;
}

function httpUrl(value: string | undefined, flag: string): URL {
  if (value === undefined) throw new UsageProblem(`${flag} is required`);
  if (!URL.canParse(value)) throw new UsageProblem(`${flag} "${value}" is not a URL`);
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageProblem(`${flag} must be an http:// or https:// URL`);
  return url;
}

function settingsOf(argv: string[], env: Record<string, string | undefined>): Settings | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        token: { type: 'string' },
        after: { type: 'string' },
        once: { type: 'boolean' },
        count: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageProblem((error as Error).message);
  }
  if (values.help) return 'help';
  const from = httpUrl(values.from, '--from');
  const binMatch = /^(.*)\/b\/([^/]+)\/?$/.exec(from.pathname);
  if (!binMatch || !isBinName(binMatch[2]!) || from.search !== '') throw new UsageProblem('--from must be a bin URL such as https://authbin.example.com/b/my-bin');
  const target = httpUrl(values.to, '--to');
  const base = `${from.origin}${binMatch[1]}`;
  const bin = binMatch[2]!;
  if (target.origin === from.origin && `${target.pathname}/`.startsWith(`${binMatch[1]}/b/${bin}/`)) {
    throw new UsageProblem('--to points back into the same bin: every delivery would be captured and forwarded again');
  }
  if (values.after !== undefined && !/^[1-9]\d{0,17}$/.test(values.after)) throw new UsageProblem('--after must be a request id (a positive whole number)');
  if (values.count !== undefined && !/^[1-9]\d{0,8}$/.test(values.count)) throw new UsageProblem('--count must be a positive whole number');
  if (values.once && values.count !== undefined) throw new UsageProblem('give --once or --count, not both');
  return {
    client: { base, bin, token: values.token ?? env.AUTHBIN_TOKEN ?? undefined },
    from: `${base}/b/${bin}`,
    target,
    after: values.after,
    limit: values.once ? 1 : values.count === undefined ? undefined : Number(values.count),
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Fetches one captured request's bytes and sends them to the target; false when it was not
 * delivered (deleted meanwhile, refused by the HTTP parser, truncated, or the target failed). Connection problems with
 * authbin throw, so that the request is fetched again after reconnecting.
 */
async function relay(client: AuthbinClient, id: string, target: URL, io: CliIo, signal: AbortSignal): Promise<boolean> {
  const raw = await fetchRaw(client, id, signal);
  if (!raw) {
    io.stderr(`authbin forward: request #${id} was deleted before it could be sent; skipped\n`);
    return false;
  }
  if (raw.refused) {
    io.stderr(`authbin forward: request #${id} not relayed: the HTTP parser refused it (${raw.refused}), so there is no valid request to send on\n`);
    return false;
  }
  const request = parseRawRequest(raw.bytes);
  if (!request) {
    io.stderr(`authbin forward: request #${id} could not be read from ${client.base}; skipped\n`);
    return false;
  }
  if (raw.truncated) {
    io.stderr(`authbin forward: request #${id} (${request.method}) skipped: its body was truncated when captured, and part of a body would not verify\n`);
    return false;
  }
  const outcome = await deliver(request, id, client.bin, target, signal);
  io.stdout(`${outcome.line}\n`);
  return outcome.ok;
}

/**
 * Runs `authbin forward …` until the signal aborts, --once/--count is reached, or a fatal error.
 * Resolves to the exit code: 0, 1 after a fatal error or a failed delivery (with --once/--count),
 * 2 for a bad command line.
 */
export async function runForward(argv: string[], io: CliIo, options: ForwardOptions = {}): Promise<number> {
  let settings: Settings | 'help';
  try {
    settings = settingsOf(argv, options.env ?? {});
  } catch (error) {
    if (!(error instanceof UsageProblem)) throw error;
    io.stderr(`authbin forward: ${error.message}\nRun "authbin forward --help" for usage.\n`);
    return 2;
  }
  if (settings === 'help') {
    io.stdout(forwardUsage);
    return 0;
  }
  const { client, target, limit } = settings;
  const stop = new AbortController();
  options.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  if (options.signal?.aborted) stop.abort();
  const { signal } = stop;

  let lastId = settings.after;
  let handled = 0;
  let failed = 0;
  let retryMs = firstRetryMs;
  let connectedBefore = false;
  io.stderr(`authbin forward: ${settings.from} → ${target.href}${limit === undefined ? ' (Ctrl-C to stop)' : ''}\n`);

  while (!signal.aborted) {
    try {
      const stream = await openEventStream(client, lastId, signal);
      retryMs = firstRetryMs;
      io.stderr(
        connectedBefore
          ? `authbin forward: reconnected${lastId ? `, resuming after #${lastId}` : ''}\n`
          : `authbin forward: connected, waiting for requests${lastId ? ` (and sending those after #${lastId})` : ''}\n`,
      );
      connectedBefore = true;
      try {
        for await (const event of readServerSentEvents(stream)) {
          if (event.type !== 'request' || !/^\d+$/.test(event.lastEventId)) continue;
          const id = event.lastEventId;
          // Replayed and live events can overlap after a reconnect: ids only grow, so skip what is done.
          if (lastId !== undefined && BigInt(id) <= BigInt(lastId)) continue;
          if (!(await relay(client, id, target, io, signal))) failed++;
          lastId = id;
          handled++;
          if (limit !== undefined && handled >= limit) return failed > 0 ? 1 : 0;
        }
      } finally {
        stream.destroy();
      }
      if (!signal.aborted) io.stderr(`authbin forward: the event stream ended; reconnecting in ${retryMs / 1000} s\n`);
    } catch (error) {
      if (signal.aborted) break;
      if (error instanceof FatalError) {
        io.stderr(`authbin forward: ${error.message}\n`);
        return 1;
      }
      io.stderr(`authbin forward: lost the connection to ${client.base} (${(error as Error).message}); reconnecting in ${retryMs / 1000} s\n`);
    }
    await sleep(retryMs, signal);
    retryMs = Math.min(retryMs * 2, maxRetryMs);
  }
  return limit !== undefined && failed > 0 ? 1 : 0;
}

/** The command as `authbin <command>` runs it: stops cleanly on Ctrl-C or SIGTERM. */
export async function forwardCommand(args: string[], io: CliIo): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await runForward(args, io, { signal: stop.signal, env: process.env });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
