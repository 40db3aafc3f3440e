// `node dist/bench/profile-summary.js DIR [TOP]`: where a server's CPU went per capture, from the
// `.cpuprofile` files `--cpu-prof` wrote into DIR (one per thread) and the load's window.json
// (profile-capture.ts writes both). Self time per category (authbin by module, hono, @hono/node-server,
// Node's http and net internals, better-sqlite3 and SQLite, GC, idle) and per function, in µs per capture,
// counting only the samples taken while the load ran and the server settled after it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** When the measured load ran (CLOCK_MONOTONIC µs, as V8 stamps samples) and what it did. */
export interface LoadWindow {
  fromMicros: number;
  toMicros: number;
  /** Requests answered in the window: the divisor of every figure. */
  captures: number;
  /** Server CPU per capture as the kernel counted it, to check the profile against. */
  cpuMicrosPerCapture: number;
  /** The same by thread: the main thread, threads nicer than it (the upkeep thread), and the rest. */
  threadCpuMicrosPerCapture: { main: number; niced: number; other: number };
  rps: number;
  p99Ms: number;
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

/** The `.cpuprofile` format V8 writes. */
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time in µs, in the window, by category and by function. */
export interface ThreadSummary {
  thread: string;
  categories: Map<string, number>;
  functions: Map<string, number>;
  /** Everything sampled in the window, idle included. */
  totalMicros: number;
}

/** The frames V8 names itself: not code, but time the thread spent otherwise. */
const vmFrames: Record<string, string> = {
  '(idle)': 'idle',
  '(garbage collector)': 'GC',
  '(program)': 'V8 and native, outside JS (program)',
  '(root)': 'V8 and native, outside JS (program)',
};

/** A category for the code at `url`; undefined for native code and builtins, which take their caller's. */
export function categoryOf(url: string): string | undefined {
  if (url === '') return undefined;
  const inModules = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (inModules) {
    const name = inModules[1]!;
    return name === 'better-sqlite3' ? 'better-sqlite3 and SQLite' : name;
  }
  if (url.startsWith('node:')) {
    const module = url.slice('node:'.length);
    if (/^(_http_|internal\/http)/.test(module) || module === 'http') return 'node: http';
    if (/^(net|stream|internal\/(streams|stream_base_commons|net|dns)|internal\/js_stream_socket)/.test(module)) return 'node: net and streams';
    if (/^internal\/(timers|process\/task_queues|process\/promises|async_hooks)|^timers|^events/.test(module)) return 'node: timers, promises, events';
    if (/^internal\/worker|^worker_threads/.test(module)) return 'node: worker messaging';
    return 'node: other';
  }
  // This build's own code, by module, as it reads in the source tree.
  const own = /\/dist\/((?:server|shared|bench)\/.+)\.js$/.exec(url);
  if (own) return `${own[1]!.startsWith('bench/') ? '' : 'authbin: '}${own[1]}.ts`;
  return url;
}

/** The names native functions from better-sqlite3 go by (Statement and Database methods). */
const sqliteNatives = new Set(['run', 'get', 'all', 'iterate', 'raw', 'pluck', 'expand', 'bind', 'columns', 'exec', 'prepare', 'pragma', 'close', 'safeIntegers', 'serialize', 'backup', 'function', 'aggregate', 'table', 'loadExtension', 'unsafeMode', 'defaultSafeIntegers']);

/** Sums the self time of each sampled frame between `fromMicros` and `toMicros`. */
export function summarise(thread: string, profile: CpuProfile, window: Pick<LoadWindow, 'fromMicros' | 'toMicros'>): ThreadSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const categoryCache = new Map<number, string>();
  const categoryOfNode = (id: number): string => {
    const cached = categoryCache.get(id);
    if (cached) return cached;
    const frame = byId.get(id)!.callFrame;
    let category = vmFrames[frame.functionName] ?? categoryOf(frame.url);
    if (category === undefined) {
      // Native code (a C++ binding, a builtin) is charged to whoever called it, named as native.
      const parent = parentOf.get(id);
      const caller = parent === undefined ? 'native' : categoryOfNode(parent);
      if (sqliteNatives.has(frame.functionName) && !caller.startsWith('node:')) category = 'better-sqlite3 and SQLite';
      else category = caller.endsWith(' (native)') || vmFrames[byId.get(parent ?? -1)?.callFrame.functionName ?? ''] ? caller : `${caller} (native)`;
    }
    categoryCache.set(id, category);
    return category;
  };
  const functionName = (id: number) => {
    const frame = byId.get(id)!.callFrame;
    const where = frame.url === '' ? categoryOfNode(id) : (categoryOf(frame.url) ?? frame.url);
    return `${frame.functionName || '(anonymous)'} — ${where}${frame.url === '' ? '' : `:${frame.lineNumber + 1}`}`;
  };

  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, micros: number) => map.set(key, (map.get(key) ?? 0) + micros);
  let at = profile.startTime;
  let totalMicros = 0;
  // A sample stands for the time until the next one (as Chrome's DevTools count it).
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]!;
    const micros = profile.timeDeltas[i + 1] ?? 0;
    if (at < window.fromMicros || at >= window.toMicros) continue;
    const id = profile.samples[i]!;
    totalMicros += micros;
    add(categories, categoryOfNode(id), micros);
    add(functions, functionName(id), micros);
  }
  return { thread, categories, functions, totalMicros };
}

/** The window and every thread's summary from a folder profile-capture.ts wrote. */
export function readProfiles(dir: string): { window: LoadWindow; threads: ThreadSummary[] } {
  const window = JSON.parse(readFileSync(join(dir, 'window.json'), 'utf8')) as LoadWindow;
  const threads = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => {
      // CPU.<date>.<time>.<pid>.<thread id>.<sequence>.cpuprofile; thread 0 is the main thread.
      const threadId = Number(name.split('.')[4]);
      const profile = JSON.parse(readFileSync(join(dir, name), 'utf8')) as CpuProfile;
      return summarise(threadId === 0 ? 'main' : `worker ${threadId}`, profile, window);
    })
    .filter((summary) => summary.totalMicros > 0)
    .sort((a, b) => a.thread.localeCompare(b.thread));
  return { window, threads };
}

const busyOf = (thread: ThreadSummary) => thread.totalMicros - (thread.categories.get('idle') ?? 0);

/**
 * The kernel's CPU count for this thread, per capture: a profile samples wall time, so a thread
 * waiting for a core (two busy cores, the upkeep thread at a lower priority) looks busy in it.
 * Each sampled figure is scaled to this, as its share of the thread's busy samples.
 */
function kernelCpuOf(window: LoadWindow, thread: ThreadSummary, workers: number): number | undefined {
  if (thread.thread === 'main') return window.threadCpuMicrosPerCapture.main;
  return workers === 1 ? window.threadCpuMicrosPerCapture.niced : undefined;
}

/**
 * A Markdown table: one column per server and thread, one row per category, busiest first, in µs of
 * CPU per capture (the sampled share of the thread's busy time times the kernel's count); then the top functions.
 */
export function renderSideBySide(servers: { name: string; window: LoadWindow; threads: ThreadSummary[] }[], top = 25): string {
  const columns = servers.flatMap((server) =>
    server.threads.map((thread) => {
      const kernel = kernelCpuOf(server.window, thread, server.threads.filter((t) => t.thread !== 'main').length);
      const sampled = busyOf(thread) / server.window.captures;
      // µs per capture of CPU for a sampled total of µs.
      const scale = (micros: number) => (micros / server.window.captures) * (kernel === undefined || sampled === 0 ? 1 : kernel / sampled);
      return { label: `${server.name} ${thread.thread}`, server, thread, kernel, sampled, scale };
    }),
  );
  const weight = new Map<string, number>();
  for (const { thread, scale } of columns) for (const [category, micros] of thread.categories) weight.set(category, (weight.get(category) ?? 0) + scale(micros));
  const categories = [...weight.keys()].filter((c) => c !== 'idle').sort((a, b) => weight.get(b)! - weight.get(a)!);
  const figure = (micros: number | undefined, scale: (micros: number) => number) => (micros === undefined ? '' : scale(micros).toFixed(1));
  const lines = [
    `| µs of CPU per capture | ${columns.map((c) => c.label).join(' | ')} |`,
    `| --- | ${columns.map(() => '---:').join(' | ')} |`,
    ...categories.map((category) => `| ${category} | ${columns.map(({ thread, scale }) => figure(thread.categories.get(category), scale)).join(' | ')} |`),
    `| **the thread's CPU, by the kernel** | ${columns.map(({ kernel }) => (kernel === undefined ? 'n/a' : `**${kernel.toFixed(1)}**`)).join(' | ')} |`,
    `| sampled busy (wall time, waiting for a core included) | ${columns.map(({ sampled }) => sampled.toFixed(1)).join(' | ')} |`,
    '',
    ...servers.map(({ name, window }) => {
      const { main, niced, other } = window.threadCpuMicrosPerCapture;
      return `${name}: ${window.captures} captures at ${Math.round(window.rps)} req/s, p99 ${window.p99Ms.toFixed(1)} ms; CPU per capture ${window.cpuMicrosPerCapture.toFixed(1)} µs by the kernel (main thread ${main.toFixed(1)}, upkeep thread ${niced.toFixed(1)}, other threads ${other.toFixed(1)})`;
    }),
  ];
  for (const { label, thread, scale } of columns) {
    lines.push('', `Top ${top} functions, ${label} (self, µs of CPU per capture):`, '');
    const sorted = [...thread.functions].filter(([name]) => !name.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top);
    for (const [name, micros] of sorted) lines.push(`- ${scale(micros).toFixed(1)} ${name}`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [dir, topArg] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node dist/bench/profile-summary.js DIR [TOP]');
    process.exit(2);
  }
  console.log(renderSideBySide([{ name: dir, ...readProfiles(dir) }], Number(topArg ?? 25)));
}
