import { analyze } from '../shared/auth/index.ts';
import type { AnalyzeInput } from '../shared/auth/types.ts';
import { analysisCorpus } from './analysis-corpus.ts';
import type { BenchContext } from './context.ts';
import { count, judge, row, type SectionResult } from './report.ts';

/** Results are added here so that the engine cannot drop the calls as unused. */
let sink = 0;

/**
 * CPU time of this process in microseconds. Counting CPU rather than wall time keeps the figure
 * honest on a shared machine, where other processes take turns on the cores.
 */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

function timeEach(input: AnalyzeInput, iterations: number): number {
  const started = cpuMicros();
  for (let i = 0; i < iterations; i++) sink += analyze(input).findings.length;
  return (cpuMicros() - started) / iterations;
}

const us = (value: number) => `${value.toFixed(2)} µs`;

/** Section 6: `analyze()` over a mixed corpus of Authorization headers, in this process. */
export async function analysisSection(ctx: BenchContext): Promise<SectionResult> {
  const corpus = analysisCorpus();
  ctx.log(`analysis: analyze() on ${corpus.length} inputs for ${ctx.scale.analysisSeconds} s`);
  for (let pass = 0; pass < (ctx.quick ? 30 : 200); pass++) for (const input of corpus) sink += analyze(input).findings.length;

  let calls = 0;
  const budgetMs = ctx.scale.analysisSeconds * 1000;
  const started = performance.now();
  const cpuStarted = cpuMicros();
  while (performance.now() - started < budgetMs) {
    for (const input of corpus) sink += analyze(input).findings.length;
    calls += corpus.length;
  }
  const average = (cpuMicros() - cpuStarted) / calls;
  const wallAverage = ((performance.now() - started) * 1000) / calls;

  const perInput = corpus.map((input) => timeEach(input, ctx.quick ? 50 : 500));
  const slowest = Math.max(...perInput);
  const slowestInput = corpus[perInput.indexOf(slowest)]!;
  const scheme = slowestInput.headers.find(([name]) => name === 'Authorization')?.[1].split(' ')[0] ?? 'no Authorization header';
  return {
    rows: [
      row('analyze(): average per header', us(average), {
        reference: `slowest input ${us(slowest)} (${scheme}${slowestInput.expected ? ', with expected' : ''}); wall clock ${us(wallAverage)}`,
        target: '≤ 20 µs',
        // A fraction of a second is too little for the JIT to settle: only the full run judges it.
        verdict: judge(average <= 20, { quick: ctx.quick, scaleBound: true }),
        values: { averageMicros: average, wallAverageMicros: wallAverage, slowestMicros: slowest, calls },
      }),
    ],
    notes: [
      `${corpus.length} inputs (right headers and the common mistakes, alone and against an expected credential), ${count(calls)} calls; µs of CPU time per call`,
    ],
  };
}
