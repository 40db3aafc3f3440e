import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Bin } from '../../shared/api.ts';
import { report } from './support/api.ts';
import { diskPerTest, tmpfsAvailable } from './support/tmpfs.ts';

/** Room for a bin of some 40 MiB beside the 8 MiB reserve, a WAL (how large it is when the disk fills varies) and a smaller bin. */
const diskMiB = 112;
/** Small bodies make many rows: deleting them rewrites many pages, a WAL far past the reserve in one transaction. */
const body = Buffer.alloc(4 * 1024, 'authbin ');
/** Of every 8 captures, 7 go to the large bin: its rows share pages with the other's, as captures to several bins do. */
const largeShare = 7;
const senders = 8;

const canMount = tmpfsAvailable('large-delete-disk-full');

async function capture(url: string, bin: string): Promise<{ status: number; id?: string }> {
  const response = await fetch(`${url}/b/${bin}`, { method: 'POST', body });
  const answer = (await response.json()) as { id?: string };
  return { status: response.status, id: response.status === 200 ? answer.id : undefined };
}

describe.skipIf(!canMount)('a bin larger than the reserve, cleared or deleted on a full disk', () => {
  const disks = diskPerTest();

  it.each(['clear', 'delete'] as const)('%s succeeds in steps, and captures are taken again without a restart', async (how) => {
    const dbPath = join(disks.mount(diskMiB), 'authbin.db');
    // Nothing deleted behind the test's back: no size cap, no trimming of the large bin to the newest 10,000.
    const server = await disks.start({ dbPath, args: ['--max-db-bytes', 'off', '--max-requests-per-bin', '1000000'] });
    const { url } = server;

    // Several senders until the disk refuses, then one until it refuses three times running (room a checkpoint freed is used up).
    const kept: string[] = [];
    let sent = 0;
    let full = false;
    const send = async () => {
      while (!full) {
        const bin = sent++ % (largeShare + 1) === largeShare ? 'kept' : 'large';
        const answer = await capture(url, bin);
        if (answer.status === 503) full = true;
        else expect(answer.status).toBe(200);
        if (answer.id && bin === 'kept') kept.push(answer.id);
      }
    };
    await Promise.all(Array.from({ length: senders }, send));
    for (let refusals = 0; refusals < 3; ) {
      const answer = await capture(url, 'kept');
      refusals = answer.status === 503 ? refusals + 1 : 0;
      if (answer.id) kept.push(answer.id);
    }
    const large = (await (await fetch(`${url}/api/bins/large`)).json()) as Bin;
    const largeMiB = (large.requestCount * body.length) / 1024 / 1024;
    // Far larger than the reserve: one transaction's WAL for it would not fit.
    expect(largeMiB).toBeGreaterThan(16);

    const started = performance.now();
    const freed = how === 'clear' ? await fetch(`${url}/api/bins/large/requests`, { method: 'DELETE' }) : await fetch(`${url}/api/bins/large`, { method: 'DELETE' });
    const ms = performance.now() - started;
    expect(freed.status).toBe(how === 'clear' ? 200 : 204);
    if (how === 'clear') expect(((await freed.json()) as { deleted: number }).deleted).toBe(large.requestCount);
    expect((await fetch(`${url}/api/bins/large`)).status).toBe(how === 'clear' ? 200 : 404);

    // Without a restart, captures are taken into the room freed.
    let after = 0;
    for (let i = 0; i < 50; i++) {
      const answer = await capture(url, 'kept');
      expect(answer.status).toBe(200);
      kept.push(answer.id!);
      after++;
    }

    expect(await server.stop()).toBe(0);
    const output = server.output();
    expect(output).not.toContain('internal error');
    expect(output.match(/deleting in steps of \d+ requests/g)).toHaveLength(1);
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare("SELECT count(*) FROM requests WHERE bin = 'large'").pluck().get()).toBe(0);
      const stored = new Set((db.prepare("SELECT id FROM requests WHERE bin = 'kept'").pluck().all() as number[]).map(String));
      expect(kept.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      db.close();
    }
    report(
      `a bin of ${largeMiB.toFixed(1)} MiB (${large.requestCount} requests of 4 KiB, among another bin's) on a full ${diskMiB} MiB tmpfs: ${how} answered ${freed.status} in ${ms.toFixed(0)} ms, ` +
        `in steps with the WAL copied back between them (the 8 MiB reserve alone is too small for one transaction's WAL); ${after} captures acknowledged right after without a restart; ` +
        `exit 0, integrity_check ok, all ${kept.length} acknowledged requests of the other bin stored`,
    );
  });
});
