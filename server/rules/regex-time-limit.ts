import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';

/** How long a rule's pattern may run on the worker before it is stopped and its condition decided neither way. */
export const regexTimeLimitMs = 100;

/**
 * Patterns run on the capture thread while the pattern's length times the text's stays within this:
 * with V8's linear-time fallback, the worst that was found (`\s*\s*\s*x` on 102 spaces, 166 `\s*` on
 * 2) stays within tens of milliseconds even on a loaded machine. Longer work goes to the worker.
 */
export const inlineRegexWork = 1024;

let fallbackEnabled = false;

/**
 * Turns on V8's linear-time fallback for the whole process (worker threads too), once, when a rule's
 * pattern is first tested: V8 reads it as it compiles a pattern, at its first run, so every rule's
 * pattern has it, and a server whose bins hold no pattern keeps V8's defaults.
 */
function enableLinearFallback(): void {
  if (fallbackEnabled) return;
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  fallbackEnabled = true;
}

/** One pattern to test on one text. */
export interface RegexJob {
  source: string;
  subject: string;
}

/** A batch sent to the worker: its jobs, what came back so far (a pattern that threw: undecided), and how many are left. */
interface Batch {
  results: (boolean | undefined)[];
  left: number;
  done: (results: (boolean | undefined)[]) => void;
}

// The worker is this small script rather than a module file: it has nothing to import, and so
// starts the same from the TypeScript sources in tests and from dist/. It answers job by job, so
// what finished before a pattern that had to be stopped is kept.
const workerScript = `
const { parentPort } = require('node:worker_threads');
const compiled = new Map();
parentPort.on('message', ({ batch, jobs }) => {
  for (const { at, source, subject } of jobs) {
    let regex = compiled.get(source);
    if (!regex) {
      if (compiled.size > 1000) compiled.clear();
      regex = new RegExp(source);
      compiled.set(source, regex);
    }
    let matched = null;
    try { matched = regex.test(subject); } catch {}
    parentPort.postMessage({ batch, at, matched });
  }
});`;

/**
 * Runs rules' regular expressions so that no pattern can stall capture. V8's own engine
 * backtracks without a time limit (`\d+x` on 64 KiB of digits takes seconds), so:
 * - short work runs on the capture thread with V8's linear-time engine as the fallback once a
 *   match backtracks too much (`--enable-experimental-regexp-engine-on-excessive-backtracks`;
 *   every pattern a rule can hold is one that engine runs, see shared/rules/regex-guard.ts);
 * - longer work goes to one worker thread. When a batch is not answered within `regexTimeLimitMs`
 *   of being sent (counted from when the worker is up), the worker is stopped and every batch still
 *   waiting is answered with what it has, the rest undecided: a capture waits at most that long,
 *   and the next batch goes to a fresh worker.
 * Node ships no time limit for a match and the re2 package is a native build; a worker keeps the
 * capture thread free whatever the pattern.
 */
export class RegexTimeLimit {
  #worker: Worker | undefined;
  /** Resolves once the current worker runs: its start-up does not count against the time limit. */
  #online: Promise<void> | undefined;
  #nextBatch = 0;
  readonly #waiting = new Map<number, Batch>();
  readonly #timeLimitMs: number;
  #closed = false;

  constructor(timeLimitMs = regexTimeLimitMs) {
    this.#timeLimitMs = timeLimitMs;
  }

  /** Whether a pattern may run on this text on the capture thread. Asked before any rule's pattern runs. */
  fitsInline(regex: RegExp, subject: string): boolean {
    enableLinearFallback();
    return regex.source.length * subject.length <= inlineRegexWork;
  }

  /** Each job's outcome: matched or not, or undefined when it was not decided within the time limit (`regexTimeLimitMs` unless given). */
  run(jobs: RegexJob[]): Promise<(boolean | undefined)[]> {
    enableLinearFallback();
    return new Promise((done) => {
      const batch = this.#nextBatch++;
      this.#waiting.set(batch, { results: jobs.map(() => undefined), left: jobs.length, done });
      const worker = this.#started();
      worker.postMessage({ batch, jobs: jobs.map((job, at) => ({ at, ...job })) });
      void this.#online!.then(() => setTimeout(() => this.#overdue(worker, batch), this.#timeLimitMs).unref());
    });
  }

  /** Stops the worker; batches still waiting are answered "undecided". */
  async close(): Promise<void> {
    this.#closed = true;
    for (const batch of [...this.#waiting.keys()]) this.#finish(batch);
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(workerScript, { eval: true });
    worker.unref();
    this.#online = new Promise((resolve) => worker.once('online', () => resolve()));
    worker.on('message', ({ batch, at, matched }: { batch: number; at: number; matched: boolean | null }) => {
      const waiting = this.#waiting.get(batch);
      if (!waiting) return;
      waiting.results[at] = matched ?? undefined;
      if (--waiting.left === 0) this.#finish(batch);
    });
    // A worker that dies on its own (out of memory) is dropped like a stuck one.
    worker.on('error', () => this.#stop(worker));
    this.#worker = worker;
    return worker;
  }

  #overdue(worker: Worker, batch: number): void {
    if (this.#waiting.has(batch)) this.#stop(worker);
  }

  /** The worker is stuck on a pattern or gone: every batch still waiting is answered with what it has, and the next goes to a fresh worker. */
  #stop(worker: Worker): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    void worker.terminate();
    for (const batch of [...this.#waiting.keys()]) this.#finish(batch);
    // Started now, so that its start-up is over by the time the next capture needs it.
    if (!this.#closed) this.#started();
  }

  #finish(batch: number): void {
    const waiting = this.#waiting.get(batch);
    if (!waiting) return;
    this.#waiting.delete(batch);
    waiting.done(waiting.results);
  }
}
