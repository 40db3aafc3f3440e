import { execFileSync } from 'node:child_process';

/** End-to-end tests run the built server and UI, as `npm start` does: build them once first if stale. */
export default function setup(): void {
  // vitest sets NODE_ENV=test, which would make Vite build a development bundle.
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale', '--quiet'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}
