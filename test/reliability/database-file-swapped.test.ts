import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bin } from '../../shared/api.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { report } from './support/api.ts';

async function capture(url: string, body: string): Promise<{ status: number; code?: string; retryAfter: string | null }> {
  const response = await fetch(`${url}/b/gone`, { method: 'POST', body });
  const answer = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: answer.error?.code, retryAfter: response.headers.get('retry-after') };
}

/** Threads of a running process (Linux): the store's upkeep thread is one of them. */
function threadCount(pid: number): number {
  return Number(/^Threads:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

function digest(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('the database file deleted or replaced under a running server', () => {
  let server: RunningServer | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(['deleted', 'replaced by another file'] as const)('%s: says so in one line, answers captures 503, still reads, writes nothing at the path, and exits 0', async (how) => {
    dir = mkdtempSync(join(tmpdir(), 'authbin-gone-'));
    const dbPath = join(dir, 'authbin.db');
    server = await startServer({ dbPath });
    const { url } = server;
    for (let i = 0; i < 20; i++) expect((await capture(url, `before ${i}`)).status).toBe(200);
    // Every kind of thread the server starts is running by now (the UI's files are read on libuv's pool).
    expect((await fetch(`${url}/`)).status).toBe(200);
    const threadsBefore = threadCount(server.process.pid!);

    let replacement: string | undefined;
    if (how === 'deleted') rmSync(dbPath);
    else {
      // A file put back the usual way: copied beside it, then moved over the path.
      copyFileSync(dbPath, join(dir, 'restored.db'));
      replacement = digest(join(dir, 'restored.db'));
      renameSync(join(dir, 'restored.db'), dbPath);
    }
    // The store looks before each write: the very next capture is refused, none goes into the file gone.
    expect(await capture(url, 'after')).toEqual({ status: 503, code: 'storage_unavailable', retryAfter: '5' });
    for (let i = 0; i < 50; i++) expect((await capture(url, `refused ${i}`)).status).toBe(503);
    // Reads keep answering, from the file still open.
    expect(((await (await fetch(`${url}/api/bins/gone`)).json()) as Bin).requestCount).toBe(20);
    expect((await fetch(`${url}/`)).status).toBe(200);
    // Up, no crash loop: the same process a while later (the upkeep thread's checkpoints due meanwhile), still refusing and reading.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(server.process.exitCode).toBeNull();
    expect((await capture(url, 'still refused')).status).toBe(503);
    expect(((await (await fetch(`${url}/api/bins/gone`)).json()) as Bin).requestCount).toBe(20);
    // The upkeep thread stopped for good: one thread fewer, and never started again (it would only find the file gone again).
    const threadsAfter = threadCount(server.process.pid!);
    expect(threadsAfter).toBe(threadsBefore - 1);

    expect(await server.stop()).toBe(0);
    const output = server.output();
    server = undefined;
    expect(output.match(new RegExp(`^authbin: the database file .* was ${how} while authbin had it open`, 'gm'))).toHaveLength(1);
    expect(output.match(/could not store a request/g)).toHaveLength(1);
    expect(output).not.toContain('internal error');
    expect(output).not.toContain('upkeep thread');
    // Nothing written at the path: no new file, or the one put there as it was; no WAL left to be read into the next one.
    if (how === 'deleted') expect(existsSync(dbPath)).toBe(false);
    else expect(digest(dbPath)).toBe(replacement);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    report(
      `database file ${how} under a running server: the next capture and the 51 after it answered 503 storage_unavailable, none acknowledged into the file gone; ` +
        `reads 200 (also 1.5 s later), the process up, one line saying why; the upkeep thread stopped for good (${threadsBefore} threads, then ${threadsAfter}, no restart); SIGTERM exit 0, ${how === 'deleted' ? 'no file' : 'the file put there unchanged'} and no WAL left at the path`,
    );
  });
});
