import { alternate, cpuRow, roundsNote } from './compare.ts';
import type { BenchContext } from './context.ts';
import { captureHeaders, kib, ticketJson } from './payloads.ts';
import { ms, ratio, row, rps, finite, type SectionResult } from './report.ts';
import { startBare, withServers } from './servers.ts';

/** Section 1: what this machine can do at all — bare node:http, and bare Hono reading the body. */
export async function limitsSection(ctx: BenchContext): Promise<SectionResult> {
  const { scale } = ctx;
  const shape = { path: '/b/bench/hook', method: 'POST', headers: captureHeaders(), body: ticketJson(kib), connections: 50 };
  ctx.log('limits: bare node:http and bare Hono, 1 KB POST, 50 connections');
  const [http, hono] = await withServers([() => startBare('bare-http'), () => startBare('bare-hono')], ([httpServer, honoServer]) =>
    alternate([{ server: httpServer! }, { server: honoServer! }], shape, {
      rounds: scale.rounds,
      seconds: scale.loadSeconds,
      warmupSeconds: scale.warmupSeconds,
    }),
  );
  return {
    rows: [
      row('bare node:http, 1 KB ×50: requests/s', rps(http!.rps), { values: { rps: http!.rps } }),
      row('bare node:http, 1 KB ×50: p50 / p99', `${ms(http!.p50)} / ${ms(http!.p99)}`, { values: { p50Ms: finite(http!.p50), p99Ms: finite(http!.p99) } }),
      row('bare Hono, 1 KB ×50: requests/s', rps(hono!.rps), {
        reference: `${ratio(hono!.rps / http!.rps)} of bare node:http`,
        values: { rps: hono!.rps, ratioToNodeHttp: hono!.rps / http!.rps },
      }),
      cpuRow('bare Hono, 1 KB ×50', hono!, http!, 'bare node:http'),
      row('bare Hono, 1 KB ×50: p50 / p99', `${ms(hono!.p50)} / ${ms(hono!.p99)}`, { values: { p50Ms: finite(hono!.p50), p99Ms: finite(hono!.p99) } }),
    ],
    notes: [
      roundsNote('1 KB ×50', [{ name: 'node:http', result: http! }, { name: 'bare Hono', result: hono! }]),
      `median of ${scale.rounds} alternating round(s) of ${scale.loadSeconds} s each, after a ${scale.warmupSeconds} s warm-up per server`,
    ],
  };
}
