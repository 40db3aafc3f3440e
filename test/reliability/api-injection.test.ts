import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bin, RequestDetail } from '../../shared/api.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { allRequestIds, getJson, internalErrors, report, requestDetail } from './support/api.ts';
import { importRecord, probesFor, sqlPayloads, type Probe } from './support/api-probes.ts';

let server: RunningServer;
let canaryIds: string[] = [];
let snapshot: RequestDetail[] = [];

/** The schema objects of the database, to show none was dropped or added. */
function schemaOf(path: string): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT type || ' ' || name FROM sqlite_master ORDER BY name").pluck().all() as string[]);
  } finally {
    db.close();
  }
}
let schema: string[] = [];

async function capture(bin: string, body: string, tag: string): Promise<string> {
  const response = await fetch(`${server.url}/b/${bin}/hook?tag=${tag}`, { method: 'POST', headers: { 'X-Tag': tag, 'Content-Type': 'application/json' }, body });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

const dir = mkdtempSync(join(tmpdir(), 'authbin-injection-'));
beforeAll(async () => {
  server = await startServer({ dbPath: join(dir, 'authbin.db') });
  for (let i = 0; i < 5; i++) canaryIds.push(await capture('canary', JSON.stringify({ n: i, note: "it's a canary; DROP TABLE bins" }), `canary-${i}`));
  snapshot = await Promise.all(canaryIds.map((id) => requestDetail(server.url, id)));
  schema = schemaOf(server.dbPath);
});
afterAll(async () => {
  expect(internalErrors(server.output())).toEqual([]);
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function send(probe: Probe): Promise<Response> {
  const body = probe.body === undefined ? undefined : typeof probe.body === 'string' ? probe.body : JSON.stringify(probe.body);
  return fetch(`${server.url}${probe.path}`, {
    method: probe.method,
    headers: { ...(body !== undefined && { 'Content-Type': 'application/json' }), ...probe.headers },
    ...(body !== undefined && { body }),
    signal: AbortSignal.timeout(10_000),
  });
}

describe('SQL metacharacters in every API parameter', () => {
  it('treats a "_" bin as that one bin, not a LIKE pattern', async () => {
    await capture('a', '{}', 'single-a');
    await capture('a', '{}', 'single-a');
    await capture('_', '{}', 'underscore');
    const cleared = await fetch(`${server.url}/api/bins/_/requests`, { method: 'DELETE' });
    expect(await cleared.json()).toEqual({ deleted: 1 });
    expect((await getJson<Bin>(`${server.url}/api/bins/a`)).requestCount).toBe(2);
  });

  it('answers every hostile value with a clean 4xx JSON error (or as plain data), and leaves the database intact', async () => {
    const probes = sqlPayloads.flatMap((value) => probesFor(value, 'canary', canaryIds[0]!).map((probe) => ({ probe, value })));
    const statuses = new Map<number, number>();
    for (const { probe, value } of probes) {
      const response = await send(probe);
      const what = `${probe.slot} = ${JSON.stringify(value)} → ${response.status}`;
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      expect(response.status, what).toBeLessThan(500);
      if (probe.expect === 'refuse') expect(response.status, what).toBeGreaterThanOrEqual(400);
      if (response.status >= 400) {
        expect(response.headers.get('content-type'), what).toMatch(/^application\/json/);
        const { error } = (await response.json()) as { error: { code: string; message: string } };
        expect(typeof error.code === 'string' && error.message.length > 5, what).toBe(true);
      } else if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
        await response.body?.cancel();
      } else {
        await response.arrayBuffer();
      }
    }

    // What was there is all still there, unchanged.
    expect(await allRequestIds(server.url, 'canary')).toEqual([...canaryIds].reverse());
    expect(await Promise.all(canaryIds.map((id) => requestDetail(server.url, id)))).toEqual(snapshot);
    expect((await getJson<Bin>(`${server.url}/api/bins/a`)).requestCount).toBe(2);
    expect(schemaOf(server.dbPath)).toEqual(schema);
    expect(await getJson(`${server.url}/healthz`)).toEqual({ ok: true });
    const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${n}×${status}`).join(', ');
    report(`SQL metacharacters: ${sqlPayloads.length} values × ${new Set(probes.map(({ probe }) => probe.slot)).size} API parameters = ${probes.length} requests (${byStatus}), 0 server errors, canaries and schema intact`);
  });

  it('stores hostile values given through import as plain data and gives them back unchanged', async () => {
    const records = sqlPayloads.map(importRecord);
    const response = await fetch(`${server.url}/api/bins/imported/import`, { method: 'POST', body: records.map((r) => JSON.stringify(r)).join('\n') });
    expect(response.status).toBe(201);
    const { ids } = (await response.json()) as { ids: string[] };
    expect(ids).toHaveLength(sqlPayloads.length);
    for (const [i, value] of sqlPayloads.entries()) {
      const detail = await requestDetail(server.url, ids[i]!);
      expect(detail, JSON.stringify(value)).toMatchObject({ path: `/${value}`, query: value, remoteAddress: value, body: { text: value } });
      expect(detail.headers, JSON.stringify(value)).toEqual([['X-Value', value]]);
    }
  });
});

describe('the database after the barrage', () => {
  it('passes integrity_check once the server has stopped', async () => {
    expect(await server.stop()).toBe(0);
    const db = new Database(server.dbPath, { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
