import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

/** The harness itself broke (as opposed to a target failing): the run exits non-zero. */
export class HarnessError extends Error {}

export interface Memory {
  /** Resident set size now. */
  rssBytes: number;
  /** The highest RSS since the process started. */
  peakBytes: number;
}

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string;
  /** From spawn to ready. */
  readonly startupMs: number;
  memory(): Memory;
  /** CPU time used so far, in milliseconds. */
  cpuMs(): number;
  /** Throws a HarnessError when the process has died on its own. */
  assertAlive(): void;
  /** SIGTERM, then SIGKILL if it lingers; resolves once it has exited. */
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** The first line of output matching this gives the URL as its first group. */
  readyLine?: RegExp;
  /** Ready when this URL answers anything (for servers that print no usable line). */
  readyUrl?: string;
  timeoutMs?: number;
}

const running = new Set<ChildProcess>();

/** Kills what the bench started and has not stopped yet (on an error or Ctrl-C). */
export function killStarted(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Reads VmRSS and VmHWM from /proc, so the figure is what the kernel charges the process. */
export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rssBytes: kib('VmRSS'), peakBytes: kib('VmHWM') };
}

/**
 * The fields of a /proc `stat` file after the command name, which may hold spaces (so split after its
 * closing parenthesis): CPU time used so far in milliseconds (utime + stime), and niceness.
 */
function readStat(path: string): { cpuMs: number; nice: number } {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100;
  return { cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond, nice: Number(fields[16]) };
}

/** CPU time the process has used so far, in milliseconds (utime + stime from /proc/<pid>/stat). */
export function cpuMsOf(pid: number): number {
  return readStat(`/proc/${pid}/stat`).cpuMs;
}

/** CPU time each thread of a process has used so far, in milliseconds, with its niceness, by thread id. */
export function threadCpuMsOf(pid: number): Map<number, { cpuMs: number; nice: number }> {
  const threads = new Map<number, { cpuMs: number; nice: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      threads.set(Number(tid), readStat(`/proc/${pid}/task/${tid}/stat`));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

/**
 * Waits until `cpuMs()` grows by less than 5% of the time passing (background work such as index
 * building or retention has settled); resolves to how long that took, or throws after `maxMs`.
 */
export async function waitUntilIdle(
  what: string,
  cpuMs: () => number,
  maxMs: number,
  onWait?: (waitedMs: number) => void,
  windowMs = 500,
): Promise<number> {
  const started = performance.now();
  let lastReport = started;
  for (;;) {
    const before = cpuMs();
    const windowStart = performance.now();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const busy = (cpuMs() - before) / (performance.now() - windowStart);
    if (busy < 0.05) return performance.now() - started;
    if (performance.now() - started > maxMs) throw new HarnessError(`${what} was still busy after ${Math.round(maxMs / 1000)} s`);
    if (onWait && performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      onWait(performance.now() - started);
    }
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts a server as its own process and waits until it serves. */
export function startProcess(options: StartOptions): Promise<ServerProcess> {
  const started = performance.now();
  const child = spawn(options.command, options.args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const tail: string[] = [];
  let exit: string | undefined;
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      running.delete(child);
      exit = signal ? `killed by ${signal}` : `exited with code ${code}`;
      resolve();
    });
  });
  const describe = () => `${options.name} ${exit ?? 'is running'}${tail.length ? `; its last output:\n    ${tail.join('\n    ')}` : ''}`;

  return new Promise<ServerProcess>((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new HarnessError(`${options.name} did not start: ${why}`));
    };
    const ready = (url: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const startupMs = performance.now() - started;
      resolve({
        name: options.name,
        pid: child.pid!,
        url: url.replace(/\/$/, ''),
        startupMs,
        memory: () => memoryOf(child.pid!),
        cpuMs: () => cpuMsOf(child.pid!),
        assertAlive: () => {
          if (exit !== undefined && !stopping) throw new HarnessError(`${describe()}`);
        },
        stop: async () => {
          stopping = true;
          if (exit !== undefined) return;
          child.kill('SIGTERM');
          const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(force);
        },
      });
    };
    const timer = setTimeout(() => fail(`not ready after ${options.timeoutMs ?? 30_000} ms; ${describe()}`), options.timeoutMs ?? 30_000);
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        tail.push(line.slice(0, 300));
        if (tail.length > 12) tail.shift();
        const match = options.readyLine?.exec(line);
        if (match?.[1]) ready(match[1]);
      });
    }
    child.on('error', (error) => fail(error.message));
    void exited.then(() => fail(describe()));
    if (options.readyUrl) void pollUntilAnswered(options.readyUrl, () => settled).then((ok) => ok && ready(options.readyUrl!));
  });
}

/** Resolves true once the URL answers, false when told to give up. */
async function pollUntilAnswered(url: string, giveUp: () => boolean): Promise<boolean> {
  while (!giveUp()) {
    const answered = await new Promise<boolean>((resolve) => {
      const req = request(url, { agent: false }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.setTimeout(1000, () => req.destroy());
      req.end();
    });
    if (answered) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
