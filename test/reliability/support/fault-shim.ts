import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Builds fault-shim.c (a storage fault for one directory, loaded with LD_PRELOAD) into a temp
 * folder with the system's C compiler; `.ci/run` installs one where it is missing.
 */
export function buildFaultShim(): { library: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'authbin-fault-shim-'));
  const library = join(dir, 'fault-shim.so');
  execFileSync('cc', ['-shared', '-fPIC', '-O2', '-Wall', '-Werror', '-o', library, join(import.meta.dirname, 'fault-shim.c'), '-ldl'], { stdio: 'pipe' });
  return { library, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
