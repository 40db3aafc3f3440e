// `npm run bench`: authbin's performance, each figure beside a reference measured in the same run.
// Exits 0 when targets fail (it is a report); non-zero only when the harness itself breaks.
import { cpus, loadavg, totalmem } from 'node:os';
import { analysisSection } from './analysis.ts';
import { captureSection } from './capture.ts';
import { BenchContext } from './context.ts';
import { limitsSection } from './limits.ts';
import { liveSection } from './live.ts';
import { closeIdleSockets } from './load.ts';
import { parseOptions, UsageError, type SectionName } from './options.ts';
import { peersSection } from './peers.ts';
import { HarnessError, killStarted } from './processes.ts';
import { readPathSection } from './read-path.ts';
import type { SectionReport, SectionResult } from './report.ts';
import { resourcesSection } from './resources.ts';
import { rulesSection } from './rules.ts';
import { renderSummary, renderTable } from './table.ts';

const sections: Record<SectionName, { title: string; run: (ctx: BenchContext) => Promise<SectionResult> }> = {
  limits: { title: '1. Limit: bare servers on this machine', run: limitsSection },
  capture: { title: '2. Capture: authbin beside bare Hono', run: captureSection },
  peers: { title: '3. Peer: Mockoon CLI', run: peersSection },
  'read-path': { title: '4. Read path on a full bin', run: readPathSection },
  live: { title: '5. Live: capture to SSE delivery', run: liveSection },
  analysis: { title: '6. Analysis: analyze()', run: analysisSection },
  resources: { title: '7. Resources', run: resourcesSection },
  rules: { title: '8. Rules: capture with 20 rules beside none', run: rulesSection },
};

function machine(loadAtStart: number) {
  const cpu = cpus();
  return {
    /** One-minute load averages: above the core count, something else was competing for the CPU. */
    loadAverage: { start: loadAtStart, end: loadavg()[0]! },
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

async function main(): Promise<number> {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      return error.helpAsked ? 0 : 2;
    }
    throw error;
  }
  const ctx = new BenchContext(options);
  const interrupted = () => {
    killStarted();
    ctx.cleanup();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  const reports: SectionReport[] = [];
  const started = performance.now();
  const loadAtStart = loadavg()[0]!;
  try {
    for (const name of options.sections) {
      const { title, run } = sections[name];
      const sectionStarted = performance.now();
      try {
        const result = await run(ctx);
        reports.push({ name, title, ...result, seconds: (performance.now() - sectionStarted) / 1000 });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        ctx.log(`${name} broke: ${message}`);
        // An unexpected exception is a bug in the harness: its stack says where.
        if (error instanceof Error && !(error instanceof HarnessError) && error.stack) ctx.log(error.stack);
        reports.push({ name, title, rows: [], notes: [], error: message, seconds: (performance.now() - sectionStarted) / 1000 });
      }
      closeIdleSockets();
    }
  } finally {
    killStarted();
    ctx.cleanup();
  }

  const about = machine(loadAtStart);
  if (options.json) {
    console.log(JSON.stringify({ machine: about, quick: options.quick, seconds: (performance.now() - started) / 1000, sections: reports }, null, 2));
  } else {
    console.log(`authbin bench${options.quick ? ' (quick)' : ''} — ${about.cpu}, ${about.cores} cores, ${about.memoryGiB} GiB, Node ${about.node}, ${about.platform}`);
    const { start, end } = about.loadAverage;
    // At the end the figure includes the bench's own load; at the start it is everyone else's.
    const busy = start > about.cores / 2 ? ' — other processes were busy when it started: expect noisy figures' : '';
    console.log(`load average ${start.toFixed(2)} at start, ${end.toFixed(2)} at end (including the bench)${busy}\n`);
    console.log(renderTable(reports));
    console.log(`\n${renderSummary(reports)} — ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  return reports.some((r) => r.error) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    killStarted();
    console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
