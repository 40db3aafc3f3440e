import { closeSync, mkdtempSync, openSync, rmSync, symlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestPage } from '../../shared/api.ts';
import { getJson, report } from './support/api.ts';
import { diskPerTest, tmpfsAvailable } from './support/tmpfs.ts';

/** The search index's own disk; the database's is not full. */
const searchDiskMiB = 4;
const captures = 300;
const canMount = tmpfsAvailable('search-disk-full');

/** Writes zeros into `path` until the disk refuses more. */
function fillDisk(path: string): void {
  const chunk = Buffer.alloc(64 * 1024);
  const fd = openSync(path, 'w');
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

/** How far the index got, read from the search file as another process would. */
function indexedUpTo(searchPath: string): number {
  const db = new Database(searchPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT indexed_up_to FROM search_progress').pluck().get() as number;
  } finally {
    db.close();
  }
}

/** A request whose words the index has to learn: each capture brings new ones. */
function bodyOf(i: number): string {
  return JSON.stringify({ word: `needle${i}x`, words: Array.from({ length: 150 }, (_, k) => `w${i}q${k}z${(i * 7919 + k) % 100_003}`).join(' ') });
}

describe.skipIf(!canMount)('the disk of the search index full (the database’s is not)', () => {
  let dataDir: string | undefined;
  afterEach(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  // Registered last, so its hook (server stopped, disk unmounted) runs first.
  const disks = diskPerTest();

  it('keeps taking captures with 2xx, finds them all the same, and the index catches up once there is room', async () => {
    const searchDisk = disks.mount(searchDiskMiB);
    dataDir = mkdtempSync(join(tmpdir(), 'authbin-search-full-'));
    const dbPath = join(dataDir, 'authbin.db');
    // SQLite follows the link, and keeps the index's WAL beside the file it points at: both on the small disk.
    const searchPath = join(searchDisk, 'search.db');
    symlinkSync(searchPath, `${dbPath}-search`);
    const server = await disks.start({ dbPath });
    const { url } = server;

    const filler = join(searchDisk, 'filler');
    fillDisk(filler);
    const stuckAt = indexedUpTo(searchPath);
    const ids: string[] = [];
    for (let i = 0; i < captures; i++) {
      const response = await fetch(`${url}/b/search-full`, { method: 'POST', body: bodyOf(i) });
      // The index is derived data: its disk being full never costs a capture.
      expect(response.status).toBe(200);
      ids.push(((await response.json()) as { id: string }).id);
    }
    const lastId = Number(ids.at(-1));
    // Stuck indeed (else the test would prove nothing), and search finds what it has not indexed.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const whileFull = indexedUpTo(searchPath);
    expect(whileFull).toBeLessThan(lastId);
    const found = await getJson<RequestPage>(`${url}/api/bins/search-full/requests?q=needle${captures - 1}x`);
    expect(found.requests.map((request) => request.id)).toEqual([ids.at(-1)]);

    rmSync(filler);
    const freed = performance.now();
    await expect.poll(() => indexedUpTo(searchPath), { timeout: 20_000, interval: 100 }).toBe(lastId);
    const caughtUpMs = performance.now() - freed;
    const again = await getJson<RequestPage>(`${url}/api/bins/search-full/requests?q=needle0x`);
    expect(again.requests.map((request) => request.id)).toEqual([ids[0]]);

    expect(await server.stop()).toBe(0);
    const output = server.output();
    expect(output).not.toContain('could not store a request');
    // Said once, not at every retry, and once when it ran again.
    expect(output.match(/search indexing could not run/g)).toHaveLength(1);
    expect(output).toContain('search indexing runs again');
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare("SELECT count(*) FROM requests WHERE bin = 'search-full'").pluck().get()).toBe(captures);
    } finally {
      db.close();
    }
    report(
      `search index disk full (${searchDiskMiB} MiB tmpfs for <db>-search only): ${captures} of ${captures} captures answered 200 while the index stood at ${whileFull - stuckAt} of them; ` +
        `search found the newest all the same; the index caught up ${caughtUpMs.toFixed(0)} ms after room was made, without a restart; exit 0, integrity_check ok`,
    );
  });
});
