import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Bin } from '../../shared/api.ts';
import { report } from './support/api.ts';
import { diskPerTest, tmpfsAvailable } from './support/tmpfs.ts';

/** The database's whole disk: room for the 8 MiB reserve and some 250 captures of 64 KiB. */
const diskMiB = 24;
const body = randomBytes(64 * 1024);

const canMount = tmpfsAvailable('disk-full');

async function capture(url: string, bin: string): Promise<{ status: number; id?: string; retryAfter: string | null }> {
  const response = await fetch(`${url}/b/${bin}`, { method: 'POST', body });
  const answer = (await response.json()) as { id?: string };
  return { status: response.status, id: response.status === 200 ? answer.id : undefined, retryAfter: response.headers.get('retry-after') };
}

/** Captures into `bin` until the disk refuses one; the ids acknowledged meanwhile. */
async function fill(url: string, bin: string): Promise<string[]> {
  const acknowledged: string[] = [];
  for (let i = 0; i < 2_000; i++) {
    const answer = await capture(url, bin);
    if (answer.status === 503) {
      expect(answer.retryAfter).toBe('5');
      return acknowledged;
    }
    expect(answer.status).toBe(200);
    acknowledged.push(answer.id!);
  }
  throw new Error(`${diskMiB} MiB did not fill up`);
}

describe.skipIf(!canMount)('the disk of a SQLite database full', () => {
  const disks = diskPerTest();

  it.each(['clear', 'delete'] as const)('refuses captures with 503, lets a bin %s free room, recovers without a restart, and stops cleanly', async (how) => {
    const dbPath = join(disks.mount(diskMiB), 'authbin.db');
    const server = await disks.start({ dbPath, args: ['--max-db-bytes', 'off'] });
    const { url } = server;

    const flooded = await fill(url, 'flood');
    // Full: refused, never half-stored; reads and the UI keep working.
    expect((await capture(url, 'flood')).status).toBe(503);
    expect((await capture(url, 'brand-new')).status).toBe(503);
    expect(((await (await fetch(`${url}/api/bins/flood`)).json()) as Bin).requestCount).toBe(flooded.length);
    expect((await fetch(`${url}/`)).status).toBe(200);

    const free = async (bin: string, count: number) => {
      const started = performance.now();
      const freed = how === 'clear' ? await fetch(`${url}/api/bins/${bin}/requests`, { method: 'DELETE' }) : await fetch(`${url}/api/bins/${bin}`, { method: 'DELETE' });
      expect(freed.status).toBe(how === 'clear' ? 200 : 204);
      if (how === 'clear') expect(((await freed.json()) as { deleted: number }).deleted).toBe(count);
      return { status: freed.status, ms: performance.now() - started };
    };
    const freed = await free('flood', flooded.length);

    // No restart: captures are taken again, into the room the deletion freed.
    const between = await fill(url, 'between');
    expect(between.length).toBeGreaterThan(10);
    // Full again before the reserve could be made again: deleting still finds room.
    const freedAgain = await free('between', between.length);
    const after = await fill(url, 'after');
    expect(after.length).toBeGreaterThan(10);

    // Stopping on the full disk still exits 0, and keeps everything acknowledged.
    expect(await server.stop()).toBe(0);
    const output = server.output();
    const db = new Database(dbPath);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Set((db.prepare("SELECT id FROM requests WHERE bin = 'after'").pluck().all() as number[]).map(String));
      expect(after.filter((id) => !stored.has(id))).toEqual([]);
      expect(db.prepare("SELECT count(*) FROM requests WHERE bin IN ('flood', 'between')").pluck().get()).toBe(0);
    } finally {
      db.close();
    }
    expect(output).not.toContain('internal error');
    report(
      `disk full (${diskMiB} MiB tmpfs, 64 KiB bodies): ${flooded.length} acknowledged then 503; ${how} answered ${freed.status} in ${freed.ms.toFixed(0)} ms on the full disk; ` +
        `${between.length} more acknowledged without a restart until 503 again; ${how} again ${freedAgain.status} in ${freedAgain.ms.toFixed(0)} ms; ${after.length} more acknowledged; ` +
        'SIGTERM exit 0, every acknowledged request stored, integrity_check ok',
    );
  });
});
