import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import type { HeaderPair } from '../shared/auth/types.ts';
import { SqliteStore } from '../server/store/sqlite/sqlite-store.ts';
import type { CapturedRequest } from '../server/store/store.ts';
import { basicAuthorization, kib, ticketJson } from './payloads.ts';
import { waitUntilIdle } from './processes.ts';
import { count } from './report.ts';
import { unlimitedRequestsPerBin } from './servers.ts';

/** One request in a hundred is a PUT: the selective case for a filtered query. */
export const rareMethod = 'PUT';

const bodies = Array.from({ length: 64 }, (_, seed) => ticketJson(kib, seed));
const authorizations = [
  basicAuthorization,
  basicAuthorization,
  basicAuthorization,
  `Basic ${Buffer.from('agent@example.com/token:abc123\n').toString('base64')}`,
  'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCIsImV4cCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJl',
];

function methodFor(i: number): string {
  const slot = i % 100;
  if (slot === 0) return rareMethod;
  if (slot < 3) return 'DELETE';
  if (slot < 8) return 'GET';
  if (slot < 10) return 'PATCH';
  return 'POST';
}

/** The i-th of a realistic mix of captured requests, `spacingMs` apart, ending about now. */
export function syntheticCapture(bin: string, i: number, total: number, spacingMs = 5): CapturedRequest {
  const method = methodFor(i);
  const body = method === 'GET' || method === 'DELETE' ? Buffer.alloc(0) : bodies[i % bodies.length]!;
  const headers: HeaderPair[] = [
    ['Host', 'authbin.example.com'],
    ['User-Agent', 'Zendesk Webhook'],
    ['Content-Type', 'application/json; charset=utf-8'],
    ['Authorization', authorizations[i % authorizations.length]!],
    ['X-Zendesk-Account-Id', String(10_000_000 + (i % 997))],
    ['X-Zendesk-Webhook-Id', '01HZBENCH0000000000000000'],
    ['X-Zendesk-Webhook-Invocation-Id', String(7_000_000_000 + i)],
    ['Content-Length', String(body.length)],
  ];
  return {
    bin,
    receivedAt: Date.now() - (total - i) * spacingMs,
    method,
    path: `/hook/${i % 100}`,
    query: i % 10 === 0 ? `attempt=${i % 3}` : '',
    httpVersion: '1.1',
    remoteAddress: '127.0.0.1',
    remotePort: 40_000 + (i % 20_000),
    headers,
    body,
    bodySize: body.length,
    truncated: false,
  };
}

/**
 * Fills a bin with `rows` requests straight through the store (so the schema is the store's own),
 * in chunks that the store commits in its own group-commit batches.
 */
export async function fillBin(path: string, bin: string, rows: number, progress?: (message: string) => void): Promise<void> {
  const store = new SqliteStore(path, { maxRequestsPerBin: unlimitedRequestsPerBin, retentionDays: 36_500 });
  try {
    const chunk = 20_000;
    let lastReport = performance.now();
    for (let start = 0; start < rows; start += chunk) {
      const pending: Promise<unknown>[] = [];
      for (let i = start; i < Math.min(rows, start + chunk); i++) pending.push(store.capture(syntheticCapture(bin, i, rows)));
      await Promise.all(pending);
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        progress?.(`${count(Math.min(rows, start + chunk))} of ${count(rows)} stored`);
      }
    }
    // Whatever the store does after a capture (its search index) runs in this process: let it finish,
    // so that the servers later started on this file find it settled.
    const ownCpuMs = () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    };
    await waitUntilIdle('the store after the fill', ownCpuMs, 30 * 60_000, (waited) => progress?.(`store still busy after the fill (${Math.round(waited / 1000)} s)`));
  } finally {
    await store.close();
  }
}

/** Opens the file read-only, so the bench can look while a server process writes. */
export function withReadOnly<T>(path: string, use: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

export function countRows(path: string, bin: string): number {
  return withReadOnly(path, (db) => db.prepare('SELECT count(*) FROM requests WHERE bin = ?').pluck().get(bin) as number);
}

/** The highest request id of a bin (0 when it is empty). */
export function newestId(path: string, bin: string): number {
  return withReadOnly(path, (db) => Number(db.prepare('SELECT coalesce(max(id), 0) FROM requests WHERE bin = ?').pluck().get(bin)));
}

/**
 * What the stored requests weighed on the wire: request line, each header line, the blank line and the
 * body, rebuilt from what was stored (header text is one char per byte, as Node read it).
 */
export function rawRequestBytes(path: string): { rows: number; bytes: number } {
  return withReadOnly(path, (db) => {
    const row = db
      .prepare(`SELECT count(*) AS rows, coalesce(sum(
          length(method) + 1 + length('/b/' || bin || path || CASE WHEN query <> '' THEN '?' || query ELSE '' END)
          + 1 + length('HTTP/' || http_version) + 2
          + (SELECT coalesce(sum(length(json_extract(h.value, '$[0]')) + 2 + length(json_extract(h.value, '$[1]')) + 2), 0)
             FROM json_each(requests.headers) AS h)
          + 2 + body_size), 0) AS bytes
        FROM requests`)
      .get() as { rows: number; bytes: number };
    return row;
  });
}

/** Bytes on disk: the database file, its search index file, and whatever their write-ahead logs hold. */
export function fileBytes(path: string): number {
  return [path, `${path}-wal`, `${path}-search`, `${path}-search-wal`].filter(existsSync).reduce((sum, file) => sum + statSync(file).size, 0);
}
