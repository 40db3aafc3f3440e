import { alternate, cpuRow, roundsNote, type MedianResult } from './compare.ts';
import type { BenchContext } from './context.ts';
import { countRows } from './database.ts';
import type { LoadResult, LoadShape } from './load.ts';
import { captureHeaders, kib, ticketJson } from './payloads.ts';
import { count, finite, judge, ms, ratio, row, rps, type Row, type SectionResult } from './report.ts';
import type { ServerProcess } from './processes.ts';
import { startAuthbin, startBare, startSqliteFloor, withServers } from './servers.ts';
import pg from 'pg';
import { createDatabase, postgresAvailability, startThrowawayPostgres } from '../test/helpers/postgres.ts';

const bin = 'bench';

interface Tally {
  acknowledged: number;
  stored: number;
  /** Rounds where the rows added fell outside [acknowledged, sent]. */
  mismatches: string[];
}

/**
 * Runs one load shape against bare Hono and a fresh authbin in alternation, counting after each authbin
 * round that every acknowledged request is in the database (and no more than were sent).
 */
/** Where a capture run stores: a fresh SQLite file, or a fresh PostgreSQL database. */
interface BenchDatabase {
  db: string;
  count(): Promise<number>;
  remove(): Promise<void>;
}

function sqliteDatabase(ctx: BenchContext): BenchDatabase {
  const db = ctx.file('capture.db');
  return { db, count: async () => countRows(db, bin), remove: async () => ctx.removeDb(db) };
}

async function compareWithHono(
  ctx: BenchContext,
  hono: ServerProcess,
  shape: LoadShape,
  seconds: number,
  database: BenchDatabase = sqliteDatabase(ctx),
  floor?: ServerProcess,
  durability?: 'full',
) {
  const { db } = database;
  const tally: Tally = { acknowledged: 0, stored: 0, mismatches: [] };
  const countStored = async (run: () => Promise<LoadResult>) => {
    const before = await database.count();
    const result = await run();
    // Requests still in flight when the load stopped may commit a moment later.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const added = (await database.count()) - before;
    tally.acknowledged += result.ok;
    tally.stored += added;
    if (added < result.ok || added > result.sent) {
      tally.mismatches.push(`${count(result.ok)} acknowledged, ${count(result.sent)} sent, ${count(added)} stored`);
    }
    return result;
  };
  try {
    const [reference, authbin, floorResult] = await withServers([() => startAuthbin({ db, durability })], ([authbinServer]) =>
      alternate(
        [{ server: hono }, { server: authbinServer!, warmupPath: '/b/warmup/hook', around: countStored }, ...(floor ? [{ server: floor }] : [])],
        shape,
        { rounds: ctx.scale.rounds, seconds, warmupSeconds: ctx.scale.warmupSeconds },
      ),
    );
    return { hono: reference!, authbin: authbin!, floor: floorResult, tally };
  } finally {
    await database.remove();
  }
}

function integrityRows(label: string, authbin: MedianResult, tally: Tally): Row[] {
  const failed = authbin.non2xx + authbin.errors;
  const answered = authbin.ok + authbin.non2xx;
  return [
    row(`${label}: non-2xx or failed`, `${count(failed)} of ${count(answered + authbin.errors)}`, {
      target: '0',
      verdict: failed === 0 ? 'PASS' : 'FAIL',
      values: { non2xx: authbin.non2xx, errors: authbin.errors },
    }),
    row(`${label}: acknowledged requests in the database`, `${count(tally.stored)} stored for ${count(tally.acknowledged)} 2xx`, {
      target: 'every 2xx stored',
      verdict: tally.mismatches.length === 0 ? 'PASS' : 'FAIL',
      reference: tally.mismatches.length ? tally.mismatches.join('; ') : '',
      values: { acknowledged: tally.acknowledged, stored: tally.stored },
    }),
  ];
}

/** Issue 21: capture within reach of the SQLite floor, measured in the same alternating rounds. */
function floorTargetRows(authbin: MedianResult, floor: MedianResult, quick: boolean): Row[] {
  const floorRatio = authbin.rps / floor.rps;
  const p99Limit = floor.p99 + 2;
  const cpuLimit = 80;
  return [
    row('capture 1 KB ×50 vs SQLite floor: requests/s', ratio(floorRatio), {
      reference: `authbin ${rps(authbin.rps)}, floor ${rps(floor.rps)}`,
      target: '≥ 0.9× SQLite floor',
      verdict: judge(floorRatio >= 0.9, { quick, scaleBound: true }),
      values: { ratio: floorRatio, rps: authbin.rps, floorRps: floor.rps },
    }),
    row('capture 1 KB ×50 vs SQLite floor: p99', ms(authbin.p99), {
      reference: `floor ${ms(floor.p99)}`,
      target: `p99 ≤ ${ms(p99Limit)} (floor + 2 ms)`,
      verdict: judge(authbin.p99 <= p99Limit, { quick, scaleBound: true }),
      values: { p99Ms: finite(authbin.p99), floorP99Ms: finite(floor.p99) },
    }),
    row('capture 1 KB ×50: server CPU per capture, background included', `${authbin.cpuMicrosPerRequest.toFixed(0)} µs`, {
      reference: `floor ${floor.cpuMicrosPerRequest.toFixed(0)} µs`,
      target: `≤ ${cpuLimit} µs`,
      verdict: judge(authbin.cpuMicrosPerRequest <= cpuLimit, { quick, scaleBound: true }),
      values: { cpuMicros: authbin.cpuMicrosPerRequest, floorCpuMicros: floor.cpuMicrosPerRequest },
    }),
  ];
}

function speedRows(label: string, hono: MedianResult, authbin: MedianResult): Row[] {
  return [
    row(`${label}: requests/s`, rps(authbin.rps), {
      reference: `bare Hono ${rps(hono.rps)} → ${ratio(authbin.rps / hono.rps)}`,
      values: { rps: authbin.rps, honoRps: hono.rps, ratio: authbin.rps / hono.rps },
    }),
    row(`${label}: p50 / p99`, `${ms(authbin.p50)} / ${ms(authbin.p99)}`, {
      reference: `bare Hono ${ms(hono.p50)} / ${ms(hono.p99)}`,
      values: { p50Ms: finite(authbin.p50), p99Ms: finite(authbin.p99), honoP50Ms: finite(hono.p50), honoP99Ms: finite(hono.p99) },
    }),
    cpuRow(label, authbin, hono, 'bare Hono'),
  ];
}

/** Section 2: authbin capturing `POST /b/bench/hook` with a Basic header, beside bare Hono. */
export async function captureSection(ctx: BenchContext): Promise<SectionResult> {
  const floorDb = ctx.file('sqlite-floor.db');
  try {
    return await withServers([() => startBare('bare-hono'), () => startSqliteFloor(floorDb)], ([hono, floor]) => measureCapture(ctx, hono!, floor!));
  } finally {
    ctx.removeDb(floorDb);
  }
}

async function measureCapture(ctx: BenchContext, hono: ServerProcess, floor: ServerProcess): Promise<SectionResult> {
  const { scale, quick } = ctx;
  const headers = captureHeaders();
  const rows: Row[] = [];

  ctx.log('capture: 1 KB body, 50 connections');
  const small = await compareWithHono(
    ctx,
    hono,
    { path: `/b/${bin}/hook`, method: 'POST', headers, body: ticketJson(kib), connections: 50 },
    scale.loadSeconds,
    sqliteDatabase(ctx),
    floor,
  );
  const smallFloor = small.floor!;
  const speedRatio = small.authbin.rps / small.hono.rps;
  const p99Limit = small.hono.p99 + 5;
  rows.push(
    row('capture 1 KB ×50: requests/s', rps(small.authbin.rps), {
      reference: `bare Hono ${rps(small.hono.rps)} → ${ratio(speedRatio)}`,
      target: '≥ 0.75× bare Hono',
      verdict: judge(speedRatio >= 0.75, { quick, scaleBound: true }),
      values: { rps: small.authbin.rps, honoRps: small.hono.rps, ratio: speedRatio },
    }),
    row('capture 1 KB ×50: p50 / p99', `${ms(small.authbin.p50)} / ${ms(small.authbin.p99)}`, {
      reference: `bare Hono ${ms(small.hono.p50)} / ${ms(small.hono.p99)}`,
      target: `p99 ≤ ${ms(p99Limit)} (Hono + 5 ms)`,
      verdict: judge(small.authbin.p99 <= p99Limit, { quick, scaleBound: true }),
      values: { p50Ms: finite(small.authbin.p50), p99Ms: finite(small.authbin.p99), honoP50Ms: finite(small.hono.p50), honoP99Ms: finite(small.hono.p99) },
    }),
    cpuRow('capture 1 KB ×50', small.authbin, small.hono, 'bare Hono'),
    ...integrityRows('capture 1 KB ×50', small.authbin, small.tally),
    row('SQLite floor 1 KB ×50: requests/s', rps(smallFloor.rps), {
      reference: `bare Hono → ${ratio(smallFloor.rps / small.hono.rps)}`,
      values: { rps: smallFloor.rps, honoRatio: smallFloor.rps / small.hono.rps },
    }),
    row('SQLite floor 1 KB ×50: p50 / p99', `${ms(smallFloor.p50)} / ${ms(smallFloor.p99)}`, {
      reference: `bare Hono ${ms(small.hono.p50)} / ${ms(small.hono.p99)}`,
      values: { p50Ms: finite(smallFloor.p50), p99Ms: finite(smallFloor.p99) },
    }),
    cpuRow('SQLite floor 1 KB ×50', smallFloor, small.hono, 'bare Hono'),
    ...floorTargetRows(small.authbin, smallFloor, quick),
  );

  ctx.log('capture: 64 KB body, 50 connections');
  const large = await compareWithHono(ctx, hono, { path: `/b/${bin}/hook`, method: 'POST', headers, body: ticketJson(64 * kib), connections: 50 }, scale.largeBodySeconds);
  rows.push(...speedRows('capture 64 KB ×50', large.hono, large.authbin), ...integrityRows('capture 64 KB ×50', large.authbin, large.tally));

  ctx.log('capture: 1 KB body, 1 connection (latency)');
  const single = await compareWithHono(ctx, hono, { path: `/b/${bin}/hook`, method: 'POST', headers, body: ticketJson(kib), connections: 1 }, scale.latencySeconds);
  rows.push(...speedRows('capture 1 KB ×1', single.hono, single.authbin), ...integrityRows('capture 1 KB ×1', single.authbin, single.tally));

  // An fsync per commit: alone, every capture pays it; under load, a batch of captures shares one.
  ctx.log('capture: 1 KB body, 1 and 50 connections, --durability full');
  const fullSingle = await compareWithHono(ctx, hono, { path: `/b/${bin}/hook`, method: 'POST', headers, body: ticketJson(kib), connections: 1 }, scale.latencySeconds, sqliteDatabase(ctx), undefined, 'full');
  const fullSmall = await compareWithHono(ctx, hono, { path: `/b/${bin}/hook`, method: 'POST', headers, body: ticketJson(kib), connections: 50 }, scale.loadSeconds, sqliteDatabase(ctx), undefined, 'full');
  rows.push(
    ...speedRows('capture 1 KB ×1 --durability full', fullSingle.hono, fullSingle.authbin),
    row('--durability full vs normal, 1 KB ×1: p50', `${ms(fullSingle.authbin.p50)} vs ${ms(single.authbin.p50)}`, {
      values: { fullP50Ms: finite(fullSingle.authbin.p50), normalP50Ms: finite(single.authbin.p50) },
    }),
    ...integrityRows('capture 1 KB ×1 --durability full', fullSingle.authbin, fullSingle.tally),
    ...speedRows('capture 1 KB ×50 --durability full', fullSmall.hono, fullSmall.authbin),
    row('--durability full vs normal, 1 KB ×50: requests/s', `${rps(fullSmall.authbin.rps)} vs ${rps(small.authbin.rps)}`, {
      reference: `→ ${ratio(fullSmall.authbin.rps / small.authbin.rps)}`,
      values: { fullRps: fullSmall.authbin.rps, normalRps: small.authbin.rps, ratio: fullSmall.authbin.rps / small.authbin.rps },
    }),
    ...integrityRows('capture 1 KB ×50 --durability full', fullSmall.authbin, fullSmall.tally),
  );

  const postgres = await capturePostgres(ctx, hono, { path: `/b/${bin}/hook`, method: 'POST', headers, body: ticketJson(kib), connections: 50 });
  rows.push(...postgres.rows);

  return {
    rows,
    notes: [
      postgres.note,
      roundsNote('1 KB ×50', [
        { name: 'authbin', result: small.authbin },
        { name: 'bare Hono', result: small.hono },
        { name: 'SQLite floor', result: smallFloor },
      ]),
      ...Object.entries({ '64 KB ×50': large, '1 KB ×1': single }).map(([label, shape]) =>
        roundsNote(label, [{ name: 'authbin', result: shape.authbin }, { name: 'bare Hono', result: shape.hono }]),
      ),
      'SQLite floor: bare Hono that stores each request as one row (authbin’s columns, WAL, synchronous=NORMAL, grouped commits) and answers once it is committed — the least any SQLite-backed capture costs here',
      `each shape: median of ${scale.rounds} alternating round(s) against bare Hono, after a ${scale.warmupSeconds} s warm-up per server; a fresh authbin and database per shape`,
      'authbin runs with --max-requests-per-bin at its maximum so that retention never deletes what the bench counts',
    ],
  };
}

/**
 * The same 1 KB ×50 load on the PostgreSQL store (a throwaway server on loopback unless
 * AUTHBIN_TEST_POSTGRES_URL names one), beside bare Hono and so beside the SQLite figures above.
 */
async function capturePostgres(ctx: BenchContext, hono: ServerProcess, shape: LoadShape): Promise<{ rows: Row[]; note: string }> {
  const availability = postgresAvailability();
  if (!availability.available) return { rows: [], note: `PostgreSQL store not measured: ${availability.reason}` };
  ctx.log('capture: 1 KB body, 50 connections, on PostgreSQL');
  const given = process.env.AUTHBIN_TEST_POSTGRES_URL;
  const server = given ? { url: given, stop: async () => {} } : await startThrowawayPostgres();
  try {
    const created = await createDatabase(server.url);
    const database: BenchDatabase = {
      db: created.url,
      async count() {
        const client = new pg.Client({ connectionString: created.url });
        await client.connect();
        try {
          const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM requests WHERE bin = $1', [bin]).catch(() => ({ rows: [{ n: '0' }] }));
          return Number(rows[0]!.n);
        } finally {
          await client.end();
        }
      },
      remove: () => created.drop(),
    };
    const result = await compareWithHono(ctx, hono, shape, ctx.scale.loadSeconds, database);
    return {
      rows: [...speedRows('capture 1 KB ×50 on PostgreSQL', result.hono, result.authbin), ...integrityRows('capture 1 KB ×50 on PostgreSQL', result.authbin, result.tally)],
      note: `PostgreSQL store: ${availability.source}, on the same cores as authbin and the load`,
    };
  } finally {
    await server.stop();
  }
}
