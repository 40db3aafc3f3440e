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
  try {
    execFileSync('cc', ['-shared', '-fPIC', '-O2', '-Wall', '-Werror', '-o', library, join(import.meta.dirname, 'fault-shim.c'), '-ldl'], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const { code, stderr } = error as { code?: string; stderr?: Buffer };
    throw new Error(code === 'ENOENT' ? 'the fault tests need a C compiler: apt-get install -y gcc libc6-dev' : `fault-shim.c did not compile: ${stderr?.toString() ?? ''}`);
  }
  return { library, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
