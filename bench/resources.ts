import type { BenchContext } from './context.ts';
import { countRows, fileBytes, rawRequestBytes, withReadOnly } from './database.ts';
import { runLoad, send } from './load.ts';
import { captureHeaders, kib, ticketJson } from './payloads.ts';
import { HarnessError, waitUntilIdle, type ServerProcess } from './processes.ts';
import { count, finite, judge, mb, mib, ms, ratio, row, rps, type Row, type SectionResult } from './report.ts';
import { startAuthbin, withServers } from './servers.ts';
import { median } from './stats.ts';
import { uploadWhileSampling } from './upload.ts';

const defaultBodyCap = 10 * 1024 * 1024;
const sleep = (msecs: number) => new Promise((resolve) => setTimeout(resolve, msecs));

/** From spawn until the first `GET /healthz` is answered: when a user can actually use it. */
async function timeStartup(db: string): Promise<number> {
  return withServers([() => startAuthbin({ db })], async ([server]) => {
    const started = performance.now();
    const reply = await send(`${server!.url}/healthz`);
    if (reply.status !== 200) throw new HarnessError(`GET /healthz answered ${reply.status} after start`);
    return server!.startupMs + (performance.now() - started);
  });
}

async function startupRows(ctx: BenchContext): Promise<Row[]> {
  const filled = await ctx.filledDb();
  const empty = ctx.file('empty.db');
  ctx.log(`resources: start-up, ${ctx.scale.startupRuns} run(s) on an empty and on the filled database`);
  const onEmpty: number[] = [];
  const onFilled: number[] = [];
  for (let run = 0; run < ctx.scale.startupRuns; run++) {
    onEmpty.push(await timeStartup(empty));
    onFilled.push(await timeStartup(filled));
  }
  ctx.removeDb(empty);
  const [emptyMs, filledMs] = [median(onEmpty), median(onFilled)];
  return [
    row(`start-up on ${count(ctx.scale.readPathRows)} rows (to first /healthz)`, ms(filledMs), {
      reference: `empty database ${ms(emptyMs)} → ${ratio(filledMs / emptyMs)}`,
      target: '≤ 500 ms at 1,000,000 rows',
      verdict: judge(filledMs <= 500, { quick: ctx.quick, scaleBound: true }),
      values: { startupMs: filledMs, emptyStartupMs: emptyMs },
    }),
  ];
}

async function uploadRows(ctx: BenchContext): Promise<Row[]> {
  const db = ctx.file('upload.db');
  ctx.log(`resources: a ${mib(ctx.scale.uploadBytes)} upload against the default ${mib(defaultBodyCap)} body cap`);
  try {
    return await withServers([() => startAuthbin({ db, maxBodyBytes: defaultBodyCap })], async ([server]) => {
      // Warm the capture path first, so the baseline is a server that has already served.
      await runLoad(server!.url, { path: '/b/warmup/hook', method: 'POST', headers: captureHeaders(), body: ticketJson(kib), connections: 10 }, { amount: ctx.quick ? 500 : 2000 });
      await sleep(ctx.scale.settleMs);
      const upload = await uploadWhileSampling(server!, '/b/upload/big', ctx.scale.uploadBytes);
      server!.assertAlive();
      const stored = withReadOnly(db, (d) =>
        d.prepare("SELECT length(body) AS kept, truncated FROM requests WHERE bin = 'upload'").get() as { kept: number; truncated: number } | undefined,
      );
      const growth = upload.peakBytes - upload.baselineBytes;
      const limit = defaultBodyCap + 32 * 1024 * 1024;
      return [
        row(`RSS growth during a ${mib(ctx.scale.uploadBytes)} upload`, mib(growth), {
          reference: `baseline ${mib(upload.baselineBytes)}, peak ${mib(upload.peakBytes)}; answered ${upload.status ?? 'nothing'}`,
          target: `< body cap + 32 MiB = ${mib(limit)}`,
          verdict: judge(growth < limit, { quick: ctx.quick }),
          values: { growthBytes: growth, baselineBytes: upload.baselineBytes, peakBytes: upload.peakBytes, writtenBytes: upload.written },
        }),
        row('the over-cap upload is kept truncated', stored ? `${mib(stored.kept)} kept, truncated: ${stored.truncated === 1}` : 'not stored', {
          reference: `answered ${upload.status ?? 'nothing'} after ${mib(upload.written)} written`,
          target: '413, first cap bytes kept',
          verdict: upload.status === 413 && stored?.kept === defaultBodyCap && stored.truncated === 1 ? 'PASS' : 'FAIL',
          values: { status: upload.status, keptBytes: stored?.kept ?? null },
        }),
      ];
    });
  } finally {
    ctx.removeDb(db);
  }
}

async function manyCapturesRows(ctx: BenchContext): Promise<Row[]> {
  const db = ctx.file('many.db');
  const amount = ctx.scale.resourceCaptures;
  const shape = { path: '/b/bench/hook', method: 'POST', headers: captureHeaders(), body: ticketJson(kib), connections: 50 };
  ctx.log(`resources: ${count(amount)} captures of 1 KB, then RSS and database size`);
  try {
    const { load, afterLoad, settled, busyMs } = await withServers([() => startAuthbin({ db })], async ([server]: ServerProcess[]) => {
      const result = await runLoad(server!.url, shape, { amount });
      await sleep(ctx.scale.settleMs);
      server!.assertAlive();
      const memoryAfterLoad = server!.memory();
      // Then let background work (the search index) catch up, so the file is measured complete.
      const waited = await waitUntilIdle('authbin after the captures', () => server!.cpuMs(), 30 * 60_000, (ms) =>
        ctx.log(`  authbin still busy after the captures (${Math.round(ms / 1000)} s)`),
      );
      return { load: result, afterLoad: memoryAfterLoad, settled: server!.memory(), busyMs: waited };
    });
    // The server has stopped and checkpointed: the file holds everything.
    const stored = countRows(db, 'bench');
    const raw = rawRequestBytes(db);
    const onDisk = fileBytes(db);
    const perRequest = onDisk / raw.rows;
    const rawPerRequest = raw.bytes / raw.rows;
    const sizeRatio = onDisk / raw.bytes;
    const rss = Math.max(afterLoad.rssBytes, settled.rssBytes);
    return [
      row(`RSS after ${count(amount)} captures`, mb(rss), {
        reference: `${mb(afterLoad.rssBytes)} just after, ${mb(settled.rssBytes)} once idle (${(busyMs / 1000).toFixed(0)} s later), peak ${mb(settled.peakBytes)}`,
        target: '≤ 200 MB after 1,000,000',
        verdict: judge(rss <= 200e6, { quick: ctx.quick, scaleBound: true }),
        values: { rssBytes: rss, rssAfterLoadBytes: afterLoad.rssBytes, rssSettledBytes: settled.rssBytes, peakBytes: settled.peakBytes, busyAfterMs: busyMs },
      }),
      row(`${count(amount)} captures at 50 connections`, rps(load.rps), {
        reference: `${count(load.non2xx + load.errors)} failed; ${count(stored)} stored for ${count(load.ok)} 2xx`,
        target: 'every 2xx stored',
        verdict: stored >= load.ok && stored <= load.sent ? 'PASS' : 'FAIL',
        values: { rps: load.rps, acknowledged: load.ok, stored, failed: load.non2xx + load.errors },
      }),
      row('database bytes per 1 KB request', `${count(perRequest)} B`, {
        reference: `raw request ${count(rawPerRequest)} B → ${ratio(sizeRatio)}`,
        target: '≤ 1.3× raw bytes',
        verdict: judge(sizeRatio <= 1.3, { quick: ctx.quick }),
        values: { dbBytes: onDisk, rawBytes: raw.bytes, rows: raw.rows, ratio: finite(sizeRatio) },
      }),
    ];
  } finally {
    ctx.removeDb(db);
  }
}

/** Section 7: memory after many captures and during a huge upload, bytes on disk, start-up on a full database. */
export async function resourcesSection(ctx: BenchContext): Promise<SectionResult> {
  const rows = [...(await startupRows(ctx)), ...(await uploadRows(ctx)), ...(await manyCapturesRows(ctx))];
  return {
    rows,
    notes: [
      'RSS is VmRSS from /proc/<pid>/status (MB = 10^6 bytes, MiB = 2^20); upload growth is the sampled peak (every 5 ms, and VmHWM) over the RSS before',
      'raw request bytes are rebuilt from each stored row: request line, header lines, blank line, body',
    ],
  };
}
