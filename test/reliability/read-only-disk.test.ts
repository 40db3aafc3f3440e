import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bin, RequestDetail } from '../../shared/api.ts';
import { startServer } from '../helpers/server.ts';
import { report } from './support/api.ts';
import { buildFaultShim } from './support/fault-shim.ts';

async function capture(url: string, bin: string, body: string): Promise<{ status: number; id?: string; retryAfter: string | null }> {
  const response = await fetch(`${url}/b/${bin}`, { method: 'POST', body });
  const answer = (await response.json()) as { id?: string };
  return { status: response.status, id: response.status === 200 ? answer.id : undefined, retryAfter: response.headers.get('retry-after') };
}

describe('the disk turning read-only (EROFS) under a running server', () => {
  let shim: ReturnType<typeof buildFaultShim>;
  let dir: string;
  beforeAll(() => {
    shim = buildFaultShim();
    dir = mkdtempSync(join(tmpdir(), 'authbin-erofs-'));
  });
  afterAll(() => {
    shim.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After, keeps reads working, recovers by itself once writable, and loses nothing acknowledged', async () => {
    const dataDir = join(dir, 'data');
    const flag = join(dir, 'read-only');
    const dbPath = join(dataDir, 'authbin.db');
    mkdirSync(dataDir);
    const server = await startServer({ dbPath, env: { LD_PRELOAD: shim.library, AUTHBIN_FAULT_DIR: dataDir, AUTHBIN_FAULT_FLAG: flag } });
    const { url } = server;
    try {
      const acknowledged: string[] = [];
      for (let i = 0; i < 50; i++) {
        const answer = await capture(url, 'ro', `before ${i}`);
        expect(answer.status).toBe(200);
        acknowledged.push(answer.id!);
      }

      writeFileSync(flag, '');
      const refused: number[] = [];
      for (let i = 0; i < 100; i++) {
        const answer = await capture(url, 'ro', `during ${i}`);
        // Never a 2xx for what could not be written.
        expect(answer.status).toBe(503);
        expect(answer.retryAfter).toBe('5');
        refused.push(answer.status);
      }
      // Reads keep working: the count, a stored request, the UI.
      expect(((await (await fetch(`${url}/api/bins/ro`)).json()) as Bin).requestCount).toBe(acknowledged.length);
      const first = (await (await fetch(`${url}/api/requests/${acknowledged[0]}`)).json()) as RequestDetail;
      expect(first.id).toBe(acknowledged[0]);
      expect((await fetch(`${url}/`)).status).toBe(200);

      rmSync(flag);
      const lifted = performance.now();
      let recoveredMs: number | undefined;
      for (let i = 0; i < 50; i++) {
        const answer = await capture(url, 'ro', `after ${i}`);
        expect(answer.status).toBe(200);
        recoveredMs ??= performance.now() - lifted;
        acknowledged.push(answer.id!);
      }

      expect(await server.stop()).toBe(0);
      const output = server.output();
      // One line for the fault, one for the recovery: not one per refused capture.
      const failureLines = output.split('\n').filter((line) => line.includes('could not store a request'));
      expect(failureLines.length).toBeGreaterThanOrEqual(1);
      expect(failureLines.length).toBeLessThanOrEqual(3);
      expect(output).toContain('requests are stored again');
      const db = new Database(dbPath, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const stored = new Set((db.prepare("SELECT id FROM requests WHERE bin = 'ro'").pluck().all() as number[]).map(String));
        expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
        expect(stored.size).toBe(acknowledged.length);
      } finally {
        db.close();
      }
      report(
        `read-only disk (EROFS on every write under the data folder): ${refused.length} of ${refused.length} captures answered 503 with Retry-After, reads and the UI answered 200; ` +
          `first 2xx ${recoveredMs!.toFixed(0)} ms after the fault was lifted; ${acknowledged.length} acknowledged, ${acknowledged.length} stored; ${failureLines.length} log line(s) for the fault; exit 0, integrity_check ok`,
      );
    } finally {
      await server.stop();
    }
  });
});
