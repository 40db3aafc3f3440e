import Database from 'better-sqlite3';
import type { BenchContext } from './context.ts';
import { newestId } from './database.ts';
import { runLoad, timeSequentialGets } from './load.ts';
import { captureHeaders, kib, ticketJson } from './payloads.ts';
import { waitUntilIdle } from './processes.ts';
import { count, finite, judge, ms, row, type Row } from './report.ts';
import { startAuthbin, withServers } from './servers.ts';

const bin = 'burst';

/** How far the upkeep thread has indexed, read from the search file beside the database. */
function indexedUpTo(db: string): number {
  const search = new Database(`${db}-search`, { readonly: true, fileMustExist: true });
  try {
    return Number(search.prepare('SELECT indexed_up_to FROM search_progress').pluck().get());
  } finally {
    search.close();
  }
}

/**
 * Issue 21: a burst of `burstCaptures` 1 KB captures on 50 connections into a fresh authbin, then at
 * once a bin's first page and single requests, timed while the upkeep thread is still indexing the
 * burst (how far it had got is in the figures).
 */
export async function afterBurstRows(ctx: BenchContext): Promise<{ rows: Row[]; notes: string[] }> {
  const { scale, quick } = ctx;
  const db = ctx.file('burst.db');
  try {
    return await withServers([() => startAuthbin({ db })], async ([server]) => {
      const url = server!.url;
      ctx.log(`read path after a burst: ${count(scale.burstCaptures)} captures, then the first page and details`);
      const burst = await runLoad(url, { path: `/b/${bin}/hook`, method: 'POST', headers: captureHeaders(), body: ticketJson(kib), connections: 50 }, { amount: scale.burstCaptures });
      const newest = newestId(db, bin);
      const indexedBefore = indexedUpTo(db);
      const samples = scale.readPathSamples;
      const first = await timeSequentialGets(url, () => `/api/bins/${bin}/requests?limit=50`, samples);
      // The newest requests: the ones the index reaches last.
      const detail = await timeSequentialGets(url, (i) => `/api/requests/${newest - (i % 1000)}`, samples);
      const indexedAfter = indexedUpTo(db);
      const catchUpMs = await waitUntilIdle('authbin after the burst', () => server!.cpuMs(), 30 * 60_000);
      server!.assertAlive();
      // Where the upkeep thread keeps pace with the burst there is no backlog to read past: the figures
      // then say so, and the target is the same 5 ms either way.
      const behind =
        indexedBefore < newest
          ? `index at ${count(indexedBefore)} → ${count(indexedAfter)} of ${count(newest)} while timed`
          : `index had kept up: ${count(newest)} of ${count(newest)} when the burst ended`;
      const target = (label: string, spread: { p50: number; p99: number }): Row =>
        row(`${label} right after the burst: p50 / p99`, `${ms(spread.p50)} / ${ms(spread.p99)}`, {
          reference: behind,
          target: 'p99 ≤ 5 ms',
          verdict: judge(spread.p99 <= 5, { quick, scaleBound: true }),
          values: { p50Ms: finite(spread.p50), p99Ms: finite(spread.p99), indexedBefore, indexedAfter, newest },
        });
      return {
        rows: [
          row(`burst of ${count(scale.burstCaptures)} captures ×50`, `${count(burst.rps)} req/s`, { values: { rps: burst.rps, ok: burst.ok } }),
          target('first page of 50', first),
          target('one request’s detail', detail),
        ],
        notes: [
          `after the burst: ${count(samples)} sequential first pages, then ${count(samples)} details of the newest 1,000 requests; the upkeep thread went on indexing for ${(catchUpMs / 1000).toFixed(1)} s after them`,
        ],
      };
    });
  } finally {
    ctx.removeDb(db);
  }
}
