import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './options.ts';
import { HarnessError } from './processes.ts';
import { count } from './report.ts';

/** The bin of the pre-filled database the read path and start-up are measured on. */
export const filledBin = 'bench';

/** What every section gets: the options, a scratch folder, progress output and shared fixtures. */
export class BenchContext {
  readonly options: BenchOptions;
  readonly dir: string;
  #filled: Promise<string> | undefined;
  #files = 0;

  constructor(options: BenchOptions) {
    this.options = options;
    this.dir = mkdtempSync(join(tmpdir(), 'authbin-bench-'));
  }

  get scale() {
    return this.options.scale;
  }

  get quick(): boolean {
    return this.options.quick;
  }

  /** Progress goes to stderr so that `--json` keeps stdout clean. */
  log(message: string): void {
    process.stderr.write(`bench: ${message}\n`);
  }

  /** A fresh path in the scratch folder. */
  file(name: string): string {
    return join(this.dir, `${++this.#files}-${name}`);
  }

  /** Deletes a database with its search index, and their WAL and shared-memory files. */
  removeDb(path: string): void {
    for (const file of ['', '-search']) for (const suffix of ['', '-wal', '-shm']) rmSync(path + file + suffix, { force: true });
  }

  /** The database pre-filled with `readPathRows` requests in one bin, built once per run. */
  filledDb(): Promise<string> {
    this.#filled ??= (async () => {
      const path = this.file('filled.db');
      const rows = this.scale.readPathRows;
      const started = performance.now();
      this.log(`filling a bin with ${count(rows)} requests through the store…`);
      await this.#fillInChild(path, rows);
      const seconds = (performance.now() - started) / 1000;
      this.log(`filled ${count(rows)} requests in ${seconds.toFixed(1)} s (${count(rows / seconds)} rows/s)`);
      return path;
    })();
    return this.#filled;
  }

  #fillInChild(path: string, rows: number): Promise<void> {
    const script = fileURLToPath(new URL('./fill.js', import.meta.url));
    const child = spawn(process.execPath, [script, path, filledBin, String(rows)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const errors: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => this.log(`  ${line}`));
    createInterface({ input: child.stderr! }).on('line', (line) => errors.push(line));
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        if (code === 0) return resolve();
        const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        reject(new HarnessError(`filling the database ${why}:\n    ${errors.slice(-12).join('\n    ')}`));
      });
    });
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
