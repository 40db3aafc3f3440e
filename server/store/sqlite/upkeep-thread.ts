import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IndexProgress } from './search-indexer.ts';
import type { FromUpkeep, ToUpkeep, UpkeepStart } from './upkeep-messages.ts';

/**
 * The built app runs upkeep-worker.js. Run from the TypeScript sources (as the tests do), the thread
 * first registers tsx (a dev dependency) to load them: a worker does not inherit the loader of the
 * thread that starts it.
 */
function workerScript(): URL {
  // Not `new URL('./…', import.meta.url)`: Vite rewrites that pattern (as an asset) when it serves a test environment like a browser's.
  const here = dirname(fileURLToPath(import.meta.url));
  if (!import.meta.url.endsWith('.ts')) return pathToFileURL(join(here, 'upkeep-worker.js'));
  const entry = pathToFileURL(join(here, 'upkeep-worker.ts')).href;
  const loader = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(loader)}`);
}
/** How long a crashed upkeep thread is left before it is started again; doubled after each crash, up to a minute. */
const firstRestartDelayMs = 1000;
const maxRestartDelayMs = 60_000;
/** How long close() waits for the thread to finish its step before stopping it. */
const closeTimeoutMs = 5000;

/**
 * The main thread's handle on the store's upkeep thread (upkeep-worker.ts): wakes it when requests
 * were committed, hears how far the search index got, restarts it if it ever dies — unless the
 * database file was deleted or replaced: the thread then stops for good (started again, it would
 * only find the file gone and stop again, a restart every minute for nothing).
 */
export class UpkeepThread {
  readonly #onIndexed: (progress: IndexProgress) => void;
  /** Copies back what the thread's copy of the WAL left: the commits made during it (see upkeep-worker.ts). */
  readonly #copyWalRest: () => void;
  /** Whether the database file is gone or replaced (the store says so in the log, once). */
  readonly #fileLost: () => boolean;
  #worker!: Worker;
  #exited!: Promise<void>;
  /** Whether the thread waits for news: only then is it told about new captures. */
  #idle = false;
  /** Requests changed while the thread was busy: it may have looked before they did. */
  #changedWhileBusy = false;
  #restartDelayMs = firstRestartDelayMs;
  #closed = false;
  #closing: Promise<void> | undefined;

  readonly #workerData: UpkeepStart;

  constructor(workerData: UpkeepStart, onIndexed: (progress: IndexProgress) => void, copyWalRest: () => void, fileLost: () => boolean) {
    this.#workerData = workerData;
    this.#onIndexed = onIndexed;
    this.#copyWalRest = copyWalRest;
    this.#fileLost = fileLost;
    this.#start();
  }

  #start(): void {
    const worker = new Worker(workerScript(), { workerData: this.#workerData });
    // The store's own close() ends it; it never keeps the process alive by itself.
    worker.unref();
    worker.on('message', (message: FromUpkeep) => {
      this.#restartDelayMs = firstRestartDelayMs;
      if (message.type === 'wal-copied') {
        this.#copyWalRest();
        if (!this.#closed) this.#send({ type: 'wal-caught-up' });
        return;
      }
      this.#idle = message.idle;
      this.#onIndexed(message.progress);
      if (this.#idle && this.#changedWhileBusy) this.requestsChanged();
    });
    // better-sqlite3's errors reach this thread as plain objects (their message is not copied): the code says what failed.
    worker.on('error', (error: Error & { code?: unknown }) => console.error(`authbin: the store's upkeep thread failed: ${error.message ?? error.code}`));
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('exit', () => {
      // The thread stops by itself once it finds the file gone; the store has said why.
      if (this.#closed || this.#fileLost()) return;
      const delayMs = this.#restartDelayMs;
      this.#restartDelayMs = Math.min(delayMs * 2, maxRestartDelayMs);
      console.error(`authbin: the store's upkeep thread stopped; starting it again in ${delayMs / 1000} s`);
      setTimeout(() => this.#closed || this.#start(), delayMs).unref();
    });
    this.#worker = worker;
    this.#idle = false;
  }

  #send(message: ToUpkeep): void {
    this.#worker.postMessage(message);
  }

  /** Requests were committed or deleted: the index has work. */
  requestsChanged(): void {
    if (this.#closed) return;
    if (!this.#idle) {
      this.#changedWhileBusy = true;
      return;
    }
    this.#idle = false;
    this.#changedWhileBusy = false;
    this.#send({ type: 'requests-changed' });
  }

  /** Lets the thread finish its current step and close its connection; called again, waits for the same. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#send({ type: 'close' });
    const timer = setTimeout(() => void worker.terminate(), closeTimeoutMs);
    await this.#exited;
    clearTimeout(timer);
  }
}
