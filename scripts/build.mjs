#!/usr/bin/env node
// Builds the server (tsc → dist/) and the UI (vite → dist/web/).
// `--if-stale` skips the build when dist/ is newer than every source file, so `npm start` stays quick.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.build-stamp');
const sources = ['server', 'shared', 'web', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'vite.config.ts', 'package-lock.json'];
const args = new Set(process.argv.slice(2));

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'peers') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

if (args.has('--if-stale') && existsSync(stamp)) {
  const built = statSync(stamp).mtimeMs;
  if (sources.every((s) => newestMtime(join(root, s)) <= built)) process.exit(0);
}

function run(label, command, commandArgs) {
  if (!args.has('--quiet')) console.error(`authbin: building ${label}…`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    console.error(`authbin: building ${label} failed`);
    process.exit(result.status ?? 1);
  }
}

const bin = (name) => join(root, 'node_modules', '.bin', name);
// tsc only adds and overwrites: without this, the output of a moved or deleted module would stay behind.
for (const folder of ['server', 'shared', 'bench', 'test']) rmSync(join(root, 'dist', folder), { recursive: true, force: true });
run('the server', bin('tsc'), ['-p', 'tsconfig.build.json']);
run('the UI', bin('vite'), ['build', '--logLevel', args.has('--quiet') ? 'error' : 'warn']);
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(stamp, new Date().toISOString() + '\n');
