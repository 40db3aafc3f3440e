import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { RequestPage } from '../../shared/api.ts';
import { startServer } from '../helpers/server.ts';
import { getJson, mapConcurrently, report, requestDetail } from './support/api.ts';

const total = 5_000;
const connections = 50;
const killAfter = 2_500;
const bin = 'crash-load';

const dir = mkdtempSync(join(tmpdir(), 'authbin-kill9-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A body of 64–2,111 bytes that only request `seq` has, so a mixed-up or cut body shows. */
function bodyOf(seq: number): Buffer {
  const seed = createHash('sha256').update(`body ${seq}`).digest();
  const length = 64 + (seed.readUInt16BE(0) % 2048);
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i += 32) createHash('sha256').update(`${seq}:${i}`).digest().copy(bytes, i);
  return bytes;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Outcome {
  seq: number;
  /** The id of the 200 answer, or undefined when the request got no answer. */
  id?: string;
}

function send(port: number, agent: Agent, seq: number): Promise<Outcome> {
  const body = bodyOf(seq);
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: 'POST',
        path: `/b/${bin}/load?seq=${seq}`,
        headers: { 'X-Seq': String(seq), 'X-Body-Sha256': sha256(body), 'Content-Type': 'application/octet-stream' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          // Only a whole 200 answer counts as acknowledged.
          try {
            resolve(res.statusCode === 200 ? { seq, id: (JSON.parse(text) as { id: string }).id } : { seq });
          } catch {
            resolve({ seq });
          }
        });
        res.on('error', () => resolve({ seq }));
      },
    );
    req.on('error', () => resolve({ seq }));
    req.end(body);
  });
}

interface DiskRow {
  id: number;
  query: string;
  headers: string;
  body: Buffer;
  body_size: number;
  truncated: number;
}

describe('kill -9 in the middle of a capture flood', () => {
  it('keeps every acknowledged request exactly once and whole, in a database that passes integrity_check', async () => {
    const dbPath = join(dir, 'authbin.db');
    const server = await startServer({ dbPath });
    const port = Number(new URL(server.url).port);
    const agent = new Agent({ keepAlive: true, maxSockets: connections });

    let acknowledged = 0;
    let killed = false;
    const outcomes = await Promise.all(
      Array.from({ length: total }, (_, seq) =>
        send(port, agent, seq).then((outcome) => {
          if (outcome.id !== undefined && ++acknowledged >= killAfter && !killed) {
            killed = true;
            server.process.kill('SIGKILL');
          }
          return outcome;
        }),
      ),
    );
    agent.destroy();
    await server.stop();
    expect(server.process.signalCode).toBe('SIGKILL');

    const acked = outcomes.filter((o): o is Required<Outcome> => o.id !== undefined);
    expect(acked.length).toBeGreaterThanOrEqual(killAfter);
    // The kill has to land mid-flood, or the test proves nothing about a crash.
    expect(acked.length).toBeLessThan(total);

    // What a user sees after the restart: the list (each summary's query names its seq) and, for a
    // sample, the full detail; then every row as it lies on disk.
    const restarted = await startServer({ dbPath });
    const seqs = new Map<number, string[]>();
    try {
      let before: string | null = null;
      do {
        const page: RequestPage = await getJson<RequestPage>(`${restarted.url}/api/bins/${bin}/requests?limit=500${before ? `&before=${before}` : ''}`);
        for (const { id, path, query } of page.requests) {
          if (path !== '/load') continue;
          const seq = Number(/^seq=(\d+)$/.exec(query)?.[1]);
          seqs.set(seq, [...(seqs.get(seq) ?? []), id]);
        }
        before = page.next;
      } while (before);
      await mapConcurrently(acked.filter((_, i) => i % 10 === 0), 4, async ({ seq, id }) => {
        const detail = await requestDetail(restarted.url, id);
        const body = bodyOf(seq);
        expect(detail).toMatchObject({ method: 'POST', path: '/load', query: `seq=${seq}`, body: { size: body.length, truncated: false } });
        expect(detail.headers.filter(([name]) => name.startsWith('X-'))).toEqual([['X-Seq', String(seq)], ['X-Body-Sha256', sha256(body)]]);
        expect(Buffer.from(detail.body.base64, 'base64').equals(body), `body of seq ${seq}`).toBe(true);
      });
      // The restarted server takes new captures at once.
      expect((await fetch(`${restarted.url}/b/${bin}/after`, { method: 'POST', body: 'after restart' })).status).toBe(200);
    } finally {
      expect(await restarted.stop()).toBe(0);
    }

    const lost = acked.filter(({ seq, id }) => !seqs.get(seq)?.includes(id)).map(({ seq }) => seq);
    expect(lost, `${lost.length} acknowledged requests are missing`).toEqual([]);
    const doubled = [...seqs].filter(([, ids]) => ids.length > 1).map(([seq]) => seq);
    expect(doubled, 'stored twice').toEqual([]);
    const stored = [...seqs.keys()];

    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db.prepare("SELECT id, query, headers, body, body_size, truncated FROM requests WHERE bin = ? AND path = '/load'").all(bin) as DiskRow[];
      expect(rows).toHaveLength(stored.length);
      for (const row of rows) {
        const seq = Number(row.query.slice('seq='.length));
        const body = bodyOf(seq);
        const headers = JSON.parse(row.headers) as [string, string][];
        expect(headers.filter(([name]) => name.startsWith('X-')), `row ${row.id}`).toEqual([['X-Seq', String(seq)], ['X-Body-Sha256', sha256(body)]]);
        expect(row.body.equals(body) && row.body_size === body.length && row.truncated === 0, `body of row ${row.id} (seq ${seq})`).toBe(true);
      }
    } finally {
      db.close();
    }
    report(
      `kill-9: ${total} sent over ${connections} connections, SIGKILL after ${acked.length} acknowledged; ` +
        `${stored.length} stored (${stored.length - acked.length} committed but unanswered), ${lost.length} lost, 0 duplicated, integrity ok`,
    );
  });
});
