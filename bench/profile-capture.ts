// `node dist/bench/profile-capture.js DIR [SECONDS] [--before CLI]`: the capture section's 1 KB ×50 load on
// authbin and on the SQLite floor, each server started with `--cpu-prof` (its worker threads too), then
// each profile summarised per capture, side by side (profile-summary.ts). `--before` profiles another
// build of authbin too (its `dist/server/cli/main.js`), such as an older commit's, in the same run.
// Each server's profiles and the window its load ran in (window.json) are kept in DIR/authbin,
// DIR/before and DIR/floor, for `profile-summary.js DIR/…`.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad, type LoadShape } from './load.ts';
import { captureHeaders, kib, ticketJson } from './payloads.ts';
import { threadCpuMsOf, waitUntilIdle, type ServerProcess } from './processes.ts';
import { readProfiles, renderSideBySide, type LoadWindow } from './profile-summary.ts';
import { startAuthbin, startSqliteFloor } from './servers.ts';

const usage = 'usage: node dist/bench/profile-capture.js DIR [SECONDS] [--before OTHER_BUILD/dist/server/cli/main.js]';
let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { before: { type: 'string' } } });
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const { positionals: [dir, secondsArg], values: { before: beforeCli } } = parsed;
const seconds = Number(secondsArg ?? 8);
if (!dir || !(seconds > 0)) {
  console.error(usage);
  process.exit(2);
}
const warmupSeconds = 2;
const shape: LoadShape = { path: '/b/bench/hook', method: 'POST', headers: captureHeaders(), body: ticketJson(kib), connections: 50 };
// A finer interval than the default 1 ms: many of the costs looked for are a few microseconds per capture.
const profileArgs = (folder: string) => ['--cpu-prof', `--cpu-prof-dir=${folder}`, '--cpu-prof-interval=200'];

/** The clock V8 stamps profile samples with (CLOCK_MONOTONIC), in microseconds. */
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/**
 * The kernel's count of CPU per capture by thread: the main thread, the threads running nicer than it
 * (authbin's upkeep thread), and the rest (V8's GC helpers, libuv's pool, the profiler's sampler).
 * A profile counts wall time, which on two busy cores includes time a thread waited to run.
 */
function threadCpu(pid: number, before: Map<number, { cpuMs: number; nice: number }>, captures: number): LoadWindow['threadCpuMicrosPerCapture'] {
  const after = threadCpuMsOf(pid);
  const mainNice = after.get(pid)?.nice ?? 0;
  const sums = { main: 0, niced: 0, other: 0 };
  for (const [tid, { cpuMs, nice }] of after) {
    const used = ((cpuMs - (before.get(tid)?.cpuMs ?? 0)) * 1000) / Math.max(1, captures);
    sums[tid === pid ? 'main' : nice > mainNice ? 'niced' : 'other'] += used;
  }
  return sums;
}

/** Warms the server up, then loads it and waits for it to settle; the profile is written as it stops. */
async function profiled(name: string, start: (folder: string) => Promise<ServerProcess>, warmupPath: string): Promise<string> {
  const folder = join(dir!, name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const server = await start(folder);
  try {
    // The profiler's own sampling keeps an idle server a little busy: settled is back at that rate.
    const idleStarted = performance.now();
    const idleCpu = server.cpuMs();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const profilerRate = (server.cpuMs() - idleCpu) / (performance.now() - idleStarted);
    const settle = () => waitUntilIdle(name, () => server.cpuMs() - profilerRate * performance.now(), 10 * 60_000, undefined, 200);
    await runLoad(server.url, { ...shape, path: warmupPath }, { seconds: warmupSeconds });
    await settle();
    const fromMicros = monotonicMicros();
    const cpuBefore = server.cpuMs();
    const threadsBefore = threadCpuMsOf(server.pid);
    const result = await runLoad(server.url, shape, { seconds });
    await settle();
    const captures = result.ok + result.non2xx;
    const window: LoadWindow = {
      fromMicros,
      toMicros: monotonicMicros(),
      captures,
      cpuMicrosPerCapture: ((server.cpuMs() - cpuBefore) * 1000) / Math.max(1, captures),
      threadCpuMicrosPerCapture: threadCpu(server.pid, threadsBefore, captures),
      rps: result.rps,
      p99Ms: result.latency.p99,
    };
    writeFileSync(join(folder, 'window.json'), JSON.stringify(window, null, 2) + '\n');
    console.error(`${name}: ${window.captures} captures, ${Math.round(window.rps)} req/s, p99 ${window.p99Ms.toFixed(1)} ms, ${window.cpuMicrosPerCapture.toFixed(1)} µs CPU each`);
  } finally {
    await server.stop();
  }
  return folder;
}

const authbinDb = join(dir, 'authbin.db');
const beforeDb = join(dir, 'before.db');
const floorDb = join(dir, 'floor.db');
const removeDb = (path: string) => {
  for (const file of ['', '-search']) for (const suffix of ['', '-wal', '-shm']) rmSync(path + file + suffix, { force: true });
};
mkdirSync(dir, { recursive: true });
try {
  const authbin = await profiled('authbin', (folder) => startAuthbin({ db: authbinDb, nodeArgs: profileArgs(folder) }), '/b/warmup/hook');
  const before = beforeCli && (await profiled('before', (folder) => startAuthbin({ db: beforeDb, cli: beforeCli, nodeArgs: profileArgs(folder) }), '/b/warmup/hook'));
  const floor = await profiled('floor', (folder) => startSqliteFloor(floorDb, profileArgs(folder)), '/b/warmup/hook');
  console.log(renderSideBySide([
    ...(before ? [{ name: 'before', ...readProfiles(before) }] : []),
    { name: 'authbin', ...readProfiles(authbin) },
    { name: 'floor', ...readProfiles(floor) },
  ]));
} finally {
  removeDb(authbinDb);
  removeDb(beforeDb);
  removeDb(floorDb);
}
