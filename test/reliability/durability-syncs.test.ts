import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.ts';
import { report } from './support/api.ts';
import { buildFaultShim } from './support/fault-shim.ts';

const captures = 200;

describe('--durability reaches SQLite', () => {
  let shim: ReturnType<typeof buildFaultShim>;
  let dir: string;
  beforeAll(() => {
    shim = buildFaultShim();
    dir = mkdtempSync(join(tmpdir(), 'authbin-durability-'));
  });
  afterAll(() => {
    shim.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  /** How many times the WAL was synced to disk during `captures` sequential captures. */
  async function walSyncs(durability: 'normal' | 'full'): Promise<number> {
    const dbPath = join(dir, `${durability}.db`);
    const counter = join(dir, `${durability}.syncs`);
    const syncs = () => {
      try {
        return statSync(counter).size;
      } catch {
        return 0;
      }
    };
    const server = await startServer({
      dbPath,
      args: ['--durability', durability],
      env: { LD_PRELOAD: shim.library, AUTHBIN_SYNC_FILE: `${dbPath}-wal`, AUTHBIN_SYNC_COUNT: counter },
    });
    try {
      const before = syncs();
      for (let i = 0; i < captures; i++) {
        // One at a time: each capture is a commit of its own, none batched with another.
        const response = await fetch(`${server.url}/b/sync`, { method: 'POST', body: `capture ${i}` });
        expect(response.status).toBe(200);
      }
      return syncs() - before;
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }

  it('syncs the WAL at every commit with full, and only at checkpoints with normal', async () => {
    const full = await walSyncs('full');
    const normal = await walSyncs('normal');
    expect(full).toBeGreaterThanOrEqual(captures);
    expect(normal).toBeLessThan(captures / 4);
    report(`--durability (${captures} sequential captures): WAL synced ${full} times with full, ${normal} with normal`);
  });
});
