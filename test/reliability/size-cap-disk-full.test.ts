import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { report } from './support/api.ts';
import { diskPerTest, tmpfsAvailable } from './support/tmpfs.ts';

/** A disk smaller than the default size cap (64 MiB at least): it fills before the cap is reached. */
const diskMiB = 24;
const body = randomBytes(64 * 1024);
/** More than the disk holds in all: only eviction lets them all in. */
const captures = 600;
const canMount = tmpfsAvailable('size-cap-disk-full');

describe.skipIf(!canMount)('a full disk before the size cap is reached', () => {
  const disks = diskPerTest();

  it('lowers the cap to what the disk holds, evicts the oldest, and takes captures again by itself', async () => {
    const dbPath = join(disks.mount(diskMiB), 'authbin.db');
    const server = await disks.start({ dbPath });
    const { url } = server;

    // A sender that retries a refused capture (faster than Retry-After, to measure): nobody deletes anything.
    const acknowledged: number[] = [];
    let refused = 0;
    let longestOutageMs = 0;
    for (let i = 0; i < captures; i++) {
      const firstTry = performance.now();
      for (;;) {
        const response = await fetch(`${url}/b/flood`, { method: 'POST', body });
        if (response.status === 200) {
          acknowledged.push(Number(((await response.json()) as { id: string }).id));
          break;
        }
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        await response.body?.cancel();
        refused++;
        expect(performance.now() - firstTry).toBeLessThan(15_000);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      longestOutageMs = Math.max(longestOutageMs, performance.now() - firstTry);
    }
    // The disk did fill (else this proves nothing), and captures came back each time without a hand.
    expect(refused).toBeGreaterThan(0);

    expect(await server.stop()).toBe(0);
    const output = server.output();
    expect(output).not.toContain('internal error');
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = db.prepare("SELECT id FROM requests WHERE bin = 'flood' ORDER BY id").pluck().all() as number[];
      // What is gone is the oldest, evicted: every acknowledged request from the oldest kept on is there.
      const kept = acknowledged.slice(acknowledged.indexOf(stored[0]!));
      expect(stored).toEqual(kept);
      // How many are kept depends on how much the disk held when it first filled (the WAL and the reserve take room too).
      expect(stored.length).toBeGreaterThan(20);
      report(
        `disk full before the size cap (${diskMiB} MiB tmpfs, default cap, 64 KiB bodies, a sender retrying every 100 ms, nobody deleting): ${captures} of ${captures} acknowledged in the end; ` +
          `${refused} refusals (503) on the way, the longest wait for one capture ${longestOutageMs.toFixed(0)} ms; the ${acknowledged.length - stored.length} oldest evicted, the newest ${stored.length} kept; ` +
          'exit 0, integrity_check ok',
      );
    } finally {
      db.close();
    }
  });
});
