import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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

describe('the database file deleted under a running server', () => {
  let server: RunningServer | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says so in one line, answers captures 503, still reads, writes nothing at the path, and exits 0', async () => {
    dir = mkdtempSync(join(tmpdir(), 'authbin-gone-'));
    const dbPath = join(dir, 'authbin.db');
    server = await startServer({ dbPath });
    const { url } = server;
    for (let i = 0; i < 20; i++) expect((await capture(url, `before ${i}`)).status).toBe(200);

    rmSync(dbPath);
    // The store looks before each write: the very next capture is refused, none goes into the file gone.
    expect(await capture(url, 'after')).toEqual({ status: 503, code: 'storage_unavailable', retryAfter: '5' });
    for (let i = 0; i < 50; i++) expect((await capture(url, `refused ${i}`)).status).toBe(503);
    // Reads keep answering, from the file still open.
    expect(((await (await fetch(`${url}/api/bins/gone`)).json()) as Bin).requestCount).toBe(20);
    expect((await fetch(`${url}/`)).status).toBe(200);
    // Up, no crash loop: the same process a while later, still refusing.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(server.process.exitCode).toBeNull();
    expect((await capture(url, 'still refused')).status).toBe(503);

    expect(await server.stop()).toBe(0);
    const output = server.output();
    server = undefined;
    expect(output.match(/^authbin: the database file .* was deleted while authbin had it open/gm)).toHaveLength(1);
    expect(output.match(/could not store a request/g)).toHaveLength(1);
    expect(output).not.toContain('internal error');
    // Nothing written at the path: no new file, and no WAL left to be read into the next one.
    expect(existsSync(dbPath)).toBe(false);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    report(
      'database file deleted under a running server: the next capture and the 51 after it answered 503 storage_unavailable, none acknowledged into the file gone; ' +
        'reads 200, the process up, one line saying why; SIGTERM exit 0, no file or WAL written at the path',
    );
  });
});
