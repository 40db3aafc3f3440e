import { fileURLToPath } from 'node:url';
import { startProcess, type ServerProcess } from './processes.ts';

/** So captures are never deleted behind the bench's back while it counts them. */
export const unlimitedRequestsPerBin = 2 ** 31 - 1;

/** The environment without anything that would reconfigure authbin (a token, a port, a database). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('AUTHBIN_') || name === 'PORT' || name === 'HOST') delete env[name];
  }
  return env;
}

export interface AuthbinOptions {
  db: string;
  /** Defaults to unlimited so that the rows the bench counts stay. */
  maxRequestsPerBin?: number;
  maxBodyBytes?: number;
  /** `--durability`; authbin's default (normal) when unset. */
  durability?: 'normal' | 'full';
  /** Node flags for this process only, after BENCH_AUTHBIN_NODE_ARGS (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** Another build's `dist/server/cli/main.js`, to measure two versions side by side; this build's by default. */
  cli?: string;
}

/**
 * Node flags for every authbin the bench starts, from BENCH_AUTHBIN_NODE_ARGS, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where the server spends its time under load.
 */
const nodeArgs = (process.env.BENCH_AUTHBIN_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

/** authbin as users run it: `authbin serve`, on a free loopback port. */
export function startAuthbin(options: AuthbinOptions): Promise<ServerProcess> {
  const cli = options.cli ?? fileURLToPath(new URL('../server/cli/main.js', import.meta.url));
  const args = [
    ...nodeArgs,
    ...(options.nodeArgs ?? []),
    cli,
    'serve',
    '--port', '0',
    '--host', '127.0.0.1',
    '--db', options.db,
    '--max-requests-per-bin', String(options.maxRequestsPerBin ?? unlimitedRequestsPerBin),
    ...(options.maxBodyBytes === undefined ? [] : ['--max-body-bytes', String(options.maxBodyBytes)]),
    ...(options.durability === undefined ? [] : ['--durability', options.durability]),
  ];
  return startProcess({ name: 'authbin', command: process.execPath, args, env: cleanEnv(), readyLine: /authbin listening on (http:\/\/\S+)/ });
}

export type BareServer = 'bare-http' | 'bare-hono';

const bareNames: Record<BareServer, string> = { 'bare-http': 'bare node:http', 'bare-hono': 'bare Hono' };

export function startBare(kind: BareServer): Promise<ServerProcess> {
  const script = fileURLToPath(new URL(`./servers/${kind}.js`, import.meta.url));
  return startProcess({ name: bareNames[kind], command: process.execPath, args: [script], readyLine: /listening on (http:\/\/\S+)/ });
}

/** Bare Hono storing each request in SQLite with grouped commits: the floor of SQLite-backed capture. */
export function startSqliteFloor(db: string, extraNodeArgs: string[] = []): Promise<ServerProcess> {
  const script = fileURLToPath(new URL('./servers/sqlite-floor.js', import.meta.url));
  return startProcess({ name: 'SQLite floor', command: process.execPath, args: [...extraNodeArgs, script, db], readyLine: /listening on (http:\/\/\S+)/ });
}

/** Starts the servers, runs `use`, and stops them whatever happens. */
export async function withServers<T>(starts: (() => Promise<ServerProcess>)[], use: (servers: ServerProcess[]) => Promise<T>): Promise<T> {
  const servers: ServerProcess[] = [];
  try {
    for (const start of starts) servers.push(await start());
    return await use(servers);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
