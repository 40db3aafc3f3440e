import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningServer {
  url: string;
  dbPath: string;
  process: ChildProcess;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM and wait for exit; resolves to the exit code. */
  stop(): Promise<number | null>;
}

const cliPath = join(import.meta.dirname, '..', '..', 'dist', 'server', 'cli', 'main.js');

/**
 * Starts the built server (`authbin serve`, as `npm start` runs it) on 127.0.0.1 and a free port, with a
 * database in a fresh temp folder unless `dbPath` is given. Resolves once it prints its address.
 */
export async function startServer(opts: { env?: Record<string, string>; args?: string[]; dbPath?: string } = {}): Promise<RunningServer> {
  const dir = opts.dbPath ? undefined : mkdtempSync(join(tmpdir(), 'authbin-e2e-'));
  const dbPath = opts.dbPath ?? join(dir!, 'authbin.db');
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', dbPath, ...(opts.args ?? [])], {
    env: { PATH: process.env.PATH ?? '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 15 s:\n${output}`)), 15_000);
    const onData = () => {
      const match = /authbin listening on (https?:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });

  return {
    url,
    dbPath,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (dir) rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
