import { parseArgs } from 'node:util';
import type { ApiError, CompareResult } from '../../shared/api.ts';
import { compareStored } from '../compare-stored.ts';
import { listenerOf } from '../request-views.ts';
import { databaseLabel, openRequestReader } from '../store/open-store.ts';
import type { StoredRequest } from '../store/store.ts';
import { colours, formatComparison, plain } from './format-comparison.ts';
import { UsageError, type CliIo } from './io.ts';

export const diffUsage = `Usage: authbin diff <id A> <id B> [options]

Compares two captured requests, from one bin or two: the difference that matters in one sentence
(Authorization first, then signatures), then headers, method, path, query and body part by part.
Secrets are masked. It reads the local database, even while authbin runs; --server asks a running
authbin instead.

Options:
  --db <path or URL>  the database to read (default $AUTHBIN_DB or ./data/authbin.db; a postgres:// URL works too)
  --server <url>      ask this authbin's API instead (GET /api/compare), e.g. https://bins.example.com
  --token <token>     its AUTHBIN_TOKEN, if it has one (default $AUTHBIN_TOKEN)
  --strict            count header name case and order as differences
  --json              print the comparison as GET /api/compare returns it
  -h, --help          show this help

Colours are used on a terminal unless NO_COLOR is set.

Exit status: 0 when the requests are the same, 1 when they differ, 2 for a bad command line or a
request, database or server that cannot be read.
`;

/** Something that stops the comparison (a missing request, an unreadable database): printed, exit status 2. */
class DiffFailure extends Error {}

// Read locally, a request's URL is rebuilt from its Host header, as a server without --public-url or --trust-proxy does.
const localListener = listenerOf({ tls: null, trustProxy: false, publicUrls: [] });

async function compareLocally(db: string, ids: [string, string], strict: boolean): Promise<CompareResult> {
  let reader;
  try {
    reader = await openRequestReader(db);
  } catch (error) {
    throw new DiffFailure(`cannot read the database ${databaseLabel(db)}: ${(error as Error).message}`);
  }
  try {
    const found: StoredRequest[] = [];
    for (const [i, id] of ids.entries()) {
      const request = await reader.getRequest(id);
      if (!request) throw new DiffFailure(`no request with id ${id} (request ${i === 0 ? 'A' : 'B'}) in ${databaseLabel(db)}`);
      found.push(request);
    }
    return await compareStored(found[0]!, found[1]!, localListener, strict);
  } finally {
    await reader.close();
  }
}

async function compareOnServer(server: string, token: string | undefined, ids: [string, string], strict: boolean): Promise<CompareResult> {
  const url = `${server}/api/compare?a=${ids[0]}&b=${ids[1]}${strict ? '&strict=1' : ''}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch (error) {
    const cause = (error as Error).cause;
    throw new DiffFailure(`cannot reach ${server}: ${cause instanceof Error ? cause.message : (error as Error).message}`);
  }
  let body: CompareResult | ApiError;
  try {
    body = (await response.json()) as CompareResult | ApiError;
  } catch {
    throw new DiffFailure(`${server} answered ${response.status} without JSON: is it an authbin?`);
  }
  if ('error' in body) throw new DiffFailure(body.error.message);
  return body;
}

export async function diffCommand(args: string[], io: CliIo, env: Record<string, string | undefined> = process.env): Promise<number> {
  const { values, positionals } = parseOptions(args);
  if (values.help) {
    io.stdout(diffUsage);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError(`give the ids of the two requests to compare (got ${positionals.length}), e.g. authbin diff 41 42`);
  for (const id of positionals) if (!/^[1-9]\d{0,17}$/.test(id)) throw new UsageError(`"${id.slice(0, 40)}" is not a request id: expected a positive whole number`);
  if (values.server !== undefined && values.db !== undefined) throw new UsageError('give --db or --server, not both');
  if (values.token !== undefined && values.server === undefined) throw new UsageError('--token goes with --server');
  const ids = positionals as [string, string];
  const strict = values.strict ?? false;

  let result: CompareResult;
  try {
    result =
      values.server === undefined
        ? await compareLocally(values.db ?? env.AUTHBIN_DB ?? 'data/authbin.db', ids, strict)
        : await compareOnServer(values.server.replace(/\/+$/, ''), values.token ?? env.AUTHBIN_TOKEN, ids, strict);
  } catch (error) {
    if (!(error instanceof DiffFailure)) throw error;
    io.stderr(`authbin diff: ${error.message}\n`);
    return 2;
  }
  const coloured = io.stdoutIsTerminal === true && !env.NO_COLOR;
  io.stdout(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatComparison(result, strict, coloured ? colours : plain));
  return result.same ? 0 : 1;
}

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        db: { type: 'string' },
        server: { type: 'string' },
        token: { type: 'string' },
        strict: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
