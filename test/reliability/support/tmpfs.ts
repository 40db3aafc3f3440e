import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { startServer, type RunningServer } from '../../helpers/server.ts';

export interface MountedDisk {
  dir: string;
  unmount(): void;
}

/** A tmpfs of its own of `mebibytes`, or why there is none (mounting needs root). */
export function mountDisk(mebibytes: number): MountedDisk | { reason: string } {
  const dir = mkdtempSync(join(tmpdir(), 'authbin-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mebibytes}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { reason: `cannot mount a tmpfs (${(error as Error).message.split('\n')[0]})` };
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Whether a tmpfs can be mounted here. CI runs as root: there a missing tmpfs is a failure, not a
 * skipped test (`.ci/run` sets CI).
 */
export function tmpfsAvailable(test: string): boolean {
  const probe = mountDisk(1);
  if ('reason' in probe) {
    if (process.env.CI) throw new Error(`the ${test} test needs a tmpfs: ${probe.reason}`);
    console.warn(`authbin: the ${test} test is skipped: ${probe.reason}`);
    return false;
  }
  probe.unmount();
  return true;
}

/**
 * For a describe block whose tests each mount a tmpfs and run authbin on it: after each test the
 * server is stopped (stopping one already stopped does nothing), then the disk unmounted.
 */
export function diskPerTest(): { mount(mebibytes: number): string; start(options: Parameters<typeof startServer>[0]): Promise<RunningServer> } {
  let disk: MountedDisk | undefined;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    disk?.unmount();
    disk = undefined;
  });
  return {
    mount(mebibytes) {
      const mounted = mountDisk(mebibytes);
      if ('reason' in mounted) throw new Error(mounted.reason);
      disk = mounted;
      return mounted.dir;
    },
    async start(options) {
      server = await startServer(options);
      return server;
    },
  };
}
