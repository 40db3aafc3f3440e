import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';

/**
 * PostgreSQL for the tests: the server named by `AUTHBIN_TEST_POSTGRES_URL` (a role that may create
 * databases), or else a throwaway one — `initdb` into a temp folder, `postgres` on a free loopback
 * port — when the server binaries are on the machine. Every test gets a database of its own.
 * `AUTHBIN_TEST_POSTGRES=off` skips the PostgreSQL half.
 */

export type PostgresAvailability = { available: true; source: string } | { available: false; reason: string };

/** Folder holding `initdb` and `postgres`: $PATH first, then Debian's /usr/lib/postgresql/<version>/bin (newest first). */
export function postgresBinaries(): string | null {
  const candidates = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) ?? null;
}

export function postgresAvailability(): PostgresAvailability {
  if (process.env.AUTHBIN_TEST_POSTGRES === 'off') return { available: false, reason: 'AUTHBIN_TEST_POSTGRES=off' };
  const url = process.env.AUTHBIN_TEST_POSTGRES_URL;
  if (url) return { available: true, source: 'AUTHBIN_TEST_POSTGRES_URL' };
  const bin = postgresBinaries();
  if (bin) return { available: true, source: `a throwaway server from ${bin}` };
  return { available: false, reason: 'no AUTHBIN_TEST_POSTGRES_URL and no PostgreSQL server binaries (initdb, postgres) on this machine' };
}

export interface ThrowawayPostgres {
  /** A superuser URL to the `postgres` database. */
  url: string;
  /**
   * Stops the server as `pg_ctl stop -m fast` (disconnect clients, checkpoint) or `-m immediate`
   * (no checkpoint: crash recovery on the next start) does, waits `downMs`, and starts it again on
   * the same data and port; resolves once it accepts connections.
   */
  restart(mode: 'fast' | 'immediate', downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** initdb and postgres refuse to run as root: as root they run as `postgres` (or a system user made for this). */
function unprivilegedUser(): string | null {
  if (process.getuid?.() !== 0) return null;
  for (const user of ['postgres', 'authbin-pg']) {
    try {
      execFileSync('id', ['-u', user], { stdio: 'ignore' });
      return user;
    } catch {
      // Not on this machine; try the next.
    }
  }
  execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'authbin-pg'], { stdio: 'ignore' });
  return 'authbin-pg';
}

/** The command that runs `program` as `user`; the server also dies with the test process (parent-death signal). */
function asUser(user: string | null, program: string, args: string[]): [string, string[]] {
  const hasSetpriv = existsSync('/usr/bin/setpriv') || existsSync('/bin/setpriv');
  if (!hasSetpriv) return [program, args];
  const identity = user ? [`--reuid=${user}`, `--regid=${user}`, '--init-groups'] : [];
  return ['setpriv', [...identity, '--pdeathsig', 'TERM', '--', program, ...args]];
}

function ownBy(user: string | null, path: string): void {
  if (user === null) return;
  const uid = Number(execFileSync('id', ['-u', user]).toString());
  const gid = Number(execFileSync('id', ['-g', user]).toString());
  chownSync(path, uid, gid);
}

/**
 * A cluster made by initdb once per machine, user and version, then copied for each server:
 * copying takes a tenth of the time initdb does.
 */
function template(bin: string, user: string | null): string {
  const version = /\d+(\.\d+)*/.exec(execFileSync(join(bin, 'postgres'), ['--version']).toString())?.[0] ?? 'unknown';
  const path = join(tmpdir(), `authbin-pg-template-${version}-${user ?? process.getuid?.() ?? 'user'}`);
  if (existsSync(join(path, 'PG_VERSION'))) return path;
  const building = mkdtempSync(join(tmpdir(), 'authbin-pg-initdb-'));
  ownBy(user, building);
  const data = join(building, 'data');
  const [command, args] = asUser(user, join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'authbin', '-E', 'UTF8', '--locale=C', '--no-sync']);
  execFileSync(command, args, { stdio: 'ignore' });
  try {
    renameSync(data, path);
  } catch {
    // Another test process made it first.
  }
  rmSync(building, { recursive: true, force: true });
  return path;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`postgres exited with ${child.exitCode ?? child.signalCode}:\n${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within 15 s (${(error as Error).message}):\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Starts a PostgreSQL server of its own in a temp folder, on 127.0.0.1 and a free port. */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce();
    } catch (error) {
      // Another process took the free port between our look and postgres binding it: pick another.
      if (attempt === 3 || !/could not (bind|create listen)/i.test((error as Error).message)) throw error;
    }
  }
}

async function startOnce(): Promise<ThrowawayPostgres> {
  const bin = postgresBinaries();
  if (!bin) throw new Error('no PostgreSQL server binaries (initdb, postgres) found on PATH or in /usr/lib/postgresql');
  const user = unprivilegedUser();
  const dir = mkdtempSync(join(tmpdir(), 'authbin-pg-'));
  ownBy(user, dir);
  const data = join(dir, 'data');
  execFileSync('cp', ['-a', template(bin, user), data]);
  const port = await freePort();
  const settings = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: '',
    // A throwaway server: nothing here must survive a power loss.
    fsync: 'off',
    full_page_writes: 'off',
    shared_buffers: '32MB',
  };
  const [command, args] = asUser(user, join(bin, 'postgres'), ['-D', data, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])]);
  let log = '';
  const launch = () => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    return { child, exited: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
  };
  let running = launch();
  // Should the test process end without stop() (a hook timed out), the server dies with it (parent-death signal); its files go here.
  const removeFiles = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeFiles);
  const url = `postgres://authbin@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilReady(url, running.child, () => log);
  } catch (error) {
    running.child.kill('SIGKILL');
    await running.exited;
    process.off('exit', removeFiles);
    removeFiles();
    throw error;
  }
  // SIGINT is PostgreSQL's "fast" shutdown, SIGQUIT its "immediate" one.
  const halt = async (signal: 'SIGINT' | 'SIGQUIT') => {
    if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill(signal);
    await running.exited;
  };
  return {
    url,
    async restart(mode, downMs = 0) {
      await halt(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      running = launch();
      await waitUntilReady(url, running.child, () => log);
    },
    async stop() {
      await halt('SIGINT');
      process.off('exit', removeFiles);
      removeFiles();
    },
  };
}

/** A URL to a new, empty database on the server at `serverUrl`; `drop()` removes it. */
export async function createDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `authbin_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

let server: Promise<{ url: string; stop?: () => Promise<void> }> | undefined;

/** This test process's PostgreSQL server, started on first use. */
export function testPostgres(): Promise<{ url: string }> {
  const url = process.env.AUTHBIN_TEST_POSTGRES_URL;
  server ??= url ? Promise.resolve({ url }) : startThrowawayPostgres();
  return server;
}

/** Stops the throwaway server if this process started one. */
export async function stopTestPostgres(): Promise<void> {
  const running = server;
  server = undefined;
  const started = await running?.catch(() => undefined);
  await started?.stop?.();
}
