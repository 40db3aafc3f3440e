import { afterBurstRows } from './after-burst.ts';
import type { BenchContext } from './context.ts';
import { filledBin } from './context.ts';
import { newestId, rareMethod } from './database.ts';
import { send, timeSequentialGets } from './load.ts';
import { HarnessError, waitUntilIdle } from './processes.ts';
import { count, finite, judge, ms, row, type Row, type SectionResult } from './report.ts';
import { startAuthbin, withServers } from './servers.ts';
import type { Spread } from './stats.ts';

/** A small seeded generator, so every run asks for the same requests. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Whether the API applied `method=` (the search filters of issue 8), judged from the page it returns. */
async function filterIsApplied(baseUrl: string, path: string): Promise<boolean> {
  const reply = await send(baseUrl + path);
  if (reply.status !== 200) throw new HarnessError(`GET ${path} answered ${reply.status}`);
  const page = JSON.parse(reply.body.toString('utf8')) as { requests: { method: string }[] };
  return page.requests.length > 0 && page.requests.every((r) => r.method === rareMethod);
}

/** Section 4: listing, paging deep, one request's detail and a filtered list, on a bin of `readPathRows` requests. */
export async function readPathSection(ctx: BenchContext): Promise<SectionResult> {
  const { scale, quick } = ctx;
  const db = await ctx.filledDb();
  const newest = newestId(db, filledBin);
  const random = seededRandom(6);
  const samples = scale.readPathSamples;
  const list = `/api/bins/${filledBin}/requests?limit=50`;
  const filtered = `${list}&method=${rareMethod}`;
  ctx.log(`read path: ${count(samples)} timed requests of each kind on ${count(scale.readPathRows)} rows`);

  const filled = await withServers([() => startAuthbin({ db })], async ([server]) => {
    const url = server!.url;
    // Time the read path on a settled server, not one still catching up on background work.
    const busyMs = await waitUntilIdle('authbin on the filled database', () => server!.cpuMs(), 30 * 60_000, (waited) =>
      ctx.log(`  authbin still busy after start (${Math.round(waited / 1000)} s)`),
    );
    const floor = await timeSequentialGets(url, () => '/healthz', samples);
    const first = await timeSequentialGets(url, () => list, samples);
    // Cursors in the older half of the bin: the pages a user reaches by paging far back.
    const deep = await timeSequentialGets(url, () => `${list}&before=${1 + Math.floor(random() * (newest / 2))}`, samples);
    const detail = await timeSequentialGets(url, () => `/api/requests/${1 + Math.floor(random() * newest)}`, samples);
    const filterApplied = await filterIsApplied(url, filtered);
    const filteredTimes = filterApplied ? await timeSequentialGets(url, () => filtered, samples) : undefined;
    server!.assertAlive();

    const reference = `GET /healthz p50 ${ms(floor.p50)} / p99 ${ms(floor.p99)}`;
    const target = (label: string, spread: Spread): Row =>
      row(`${label}: p50 / p99`, `${ms(spread.p50)} / ${ms(spread.p99)}`, {
        reference,
        target: 'p99 ≤ 5 ms at 1,000,000 rows',
        verdict: judge(spread.p99 <= 5, { quick, scaleBound: true }),
        values: { p50Ms: finite(spread.p50), p99Ms: finite(spread.p99), floorP99Ms: finite(floor.p99) },
      });
    const rows = [
      target('first page of 50', first),
      target('page of 50 deep in the bin (cursor)', deep),
      target('one request’s detail', detail),
      filteredTimes
        ? row(`filtered page (method=${rareMethod}, 1 in 100): p50 / p99`, `${ms(filteredTimes.p50)} / ${ms(filteredTimes.p99)}`, {
            reference,
            values: { p50Ms: finite(filteredTimes.p50), p99Ms: finite(filteredTimes.p99) },
          })
        : row(`filtered page (method=${rareMethod}, 1 in 100)`, '—', { verdict: 'n/a', values: { p50Ms: null, p99Ms: null } }),
    ];
    const notes = [
      `${count(scale.readPathRows)} requests in one bin, filled through SqliteStore; ${count(samples)} sequential requests per kind over one kept-alive connection, after 20 untimed ones`,
    ];
    if (busyMs > 1500) notes.push(`authbin kept a core busy for ${(busyMs / 1000).toFixed(1)} s after starting on this database before it settled`);
    if (!filterApplied) notes.push(`the API ignores method=${rareMethod} (search filters are issue 8), so there is no filtered query to time yet`);
    return { rows, notes };
  });
  const afterBurst = await afterBurstRows(ctx);
  return { rows: [...filled.rows, ...afterBurst.rows], notes: [...filled.notes, ...afterBurst.notes] };
}
