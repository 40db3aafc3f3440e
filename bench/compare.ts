import { closeIdleSockets, runLoad, type LoadResult, type LoadShape } from './load.ts';
import { waitUntilIdle, type ServerProcess } from './processes.ts';
import { ratio, row, type Row } from './report.ts';
import { median } from './stats.ts';

/** One measured run, with the server's CPU time per answered request (deferred work included). */
export interface Round extends LoadResult {
  cpuMicrosPerRequest: number;
}

/** The figures of several rounds, each the median over the rounds. */
export interface MedianResult {
  rps: number;
  p50: number;
  p99: number;
  cpuMicrosPerRequest: number;
  ok: number;
  non2xx: number;
  errors: number;
  rounds: Round[];
}

export function medianOf(rounds: Round[]): MedianResult {
  return {
    rps: median(rounds.map((r) => r.rps)),
    cpuMicrosPerRequest: median(rounds.map((r) => r.cpuMicrosPerRequest)),
    p50: median(rounds.map((r) => r.latency.p50)),
    p99: median(rounds.map((r) => r.latency.p99)),
    ok: rounds.reduce((sum, r) => sum + r.ok, 0),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    rounds,
  };
}

export interface Contender {
  server: ServerProcess;
  /** Path sent during the warm-up (so warm-up rows can be told from measured ones). */
  warmupPath?: string;
  /** Called around each measured round, e.g. to count what was stored. */
  around?: (run: () => Promise<LoadResult>) => Promise<LoadResult>;
}

/**
 * Warms every contender up, then runs the same load against each in turn, `rounds` times,
 * reversing the order every other round so that neither always runs on a warmer (or hotter) machine.
 */
export async function alternate(
  contenders: Contender[],
  shape: LoadShape,
  options: { rounds: number; seconds: number; warmupSeconds: number },
): Promise<MedianResult[]> {
  // Work a server defers (an index, a log) is part of what a request costs, and must not spill into
  // the next contender's run: after each run, wait for the server to go idle, and count its CPU till then.
  const settle = (server: ServerProcess) => waitUntilIdle(server.name, () => server.cpuMs(), 10 * 60_000, undefined, 200);
  for (const c of contenders) {
    await runLoad(c.server.url, { ...shape, path: c.warmupPath ?? shape.path }, { seconds: options.warmupSeconds });
    await settle(c.server);
    c.server.assertAlive();
  }
  const results: Round[][] = contenders.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    const order = contenders.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const c = contenders[i]!;
      const cpuBefore = c.server.cpuMs();
      const run = () => runLoad(c.server.url, shape, { seconds: options.seconds });
      const result = await (c.around ? c.around(run) : run());
      await settle(c.server);
      const answered = result.ok + result.non2xx;
      results[i]!.push({ ...result, cpuMicrosPerRequest: ((c.server.cpuMs() - cpuBefore) * 1000) / Math.max(1, answered) });
      c.server.assertAlive();
      closeIdleSockets();
    }
  }
  return results.map(medianOf);
}

/** The per-round figures behind a median, so a noisy round shows. */
export function roundsNote(label: string, contenders: { name: string; result: MedianResult }[]): string {
  const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const parts = contenders.map(({ name, result }) => `${name} ${result.rounds.map((r) => grouped.format(r.rps)).join(' · ')}`);
  return `${label}, req/s per round: ${parts.join('; ')}`;
}

/**
 * Server CPU time per answered request, deferred work included: unlike requests/s it hardly moves
 * when other processes share the machine, so it is the steadier ratio on a noisy host.
 */
export function cpuRow(label: string, subject: MedianResult, reference: MedianResult, referenceName: string): Row {
  const micros = (value: number) => `${value.toFixed(0)} µs`;
  return row(`${label}: server CPU per request`, micros(subject.cpuMicrosPerRequest), {
    reference: `${referenceName} ${micros(reference.cpuMicrosPerRequest)} → ${ratio(subject.cpuMicrosPerRequest / reference.cpuMicrosPerRequest)}`,
    values: { cpuMicros: subject.cpuMicrosPerRequest, referenceCpuMicros: reference.cpuMicrosPerRequest },
  });
}
