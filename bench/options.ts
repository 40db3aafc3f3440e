import { parseArgs } from 'node:util';

export const sectionNames = ['limits', 'capture', 'peers', 'read-path', 'live', 'analysis', 'resources', 'rules'] as const;
export type SectionName = (typeof sectionNames)[number];

/** How big each measurement is: the full run, or the smoke run CI uses so the harness cannot rot. */
export interface Scale {
  /** Alternations of reference and subject; the median is reported. */
  rounds: number;
  warmupSeconds: number;
  /** Each 50-connection run with a 1 KB body. */
  loadSeconds: number;
  largeBodySeconds: number;
  /** Each 1-connection run. */
  latencySeconds: number;
  readPathRows: number;
  /** Timed requests per read-path query. */
  readPathSamples: number;
  /** Captures sent in one burst before the read path is timed again (issue 21). */
  burstCaptures: number;
  liveSubscribers: number;
  liveSeconds: number;
  liveRate: number;
  analysisSeconds: number;
  /** Captures sent before the server's RSS is read. */
  resourceCaptures: number;
  uploadBytes: number;
  startupRuns: number;
  /** Pause before reading memory, so that what is measured is the settled process. */
  settleMs: number;
}

const fullScale: Scale = {
  rounds: 3,
  warmupSeconds: 2,
  loadSeconds: 8,
  largeBodySeconds: 5,
  latencySeconds: 5,
  readPathRows: 1_000_000,
  readPathSamples: 1000,
  burstCaptures: 200_000,
  liveSubscribers: 100,
  liveSeconds: 10,
  liveRate: 1000,
  analysisSeconds: 2,
  resourceCaptures: 1_000_000,
  uploadBytes: 100 * 1024 * 1024,
  startupRuns: 5,
  settleMs: 1000,
};

const quickScale: Scale = {
  rounds: 1,
  warmupSeconds: 0.3,
  loadSeconds: 0.5,
  largeBodySeconds: 0.3,
  latencySeconds: 0.3,
  readPathRows: 10_000,
  readPathSamples: 50,
  burstCaptures: 5_000,
  liveSubscribers: 10,
  liveSeconds: 1,
  liveRate: 1000,
  analysisSeconds: 0.2,
  resourceCaptures: 3_000,
  uploadBytes: 100 * 1024 * 1024,
  startupRuns: 1,
  settleMs: 200,
};

export interface BenchOptions {
  json: boolean;
  quick: boolean;
  peers: boolean;
  /** The sections to run, in order. */
  sections: SectionName[];
  scale: Scale;
}

export class UsageError extends Error {
  /** `--help` is a usage "error" that is not a failure. */
  readonly helpAsked: boolean;

  constructor(message: string, helpAsked = false) {
    super(message);
    this.helpAsked = helpAsked;
  }
}

export const usage = `Usage: npm run bench -- [--quick] [--json] [--peers] [--only SECTION[,SECTION…]]

  --quick        every section at a small scale (about 20 seconds); scale-bound targets read "n/a (quick)"
  --json         print the report as JSON on stdout (progress still goes to stderr)
  --peers        also measure Mockoon CLI (installed on demand into bench/peers/)
  --only NAMES   run only these sections: ${sectionNames.join(', ')}

Environment: BENCH_AUTHBIN_NODE_ARGS adds node flags to every authbin started, e.g.
  BENCH_AUTHBIN_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench -- --only capture`;

export function parseOptions(argv: string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean' },
        quick: { type: 'boolean' },
        peers: { type: 'boolean' },
        only: { type: 'string', multiple: true },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
  if (values.help) throw new UsageError(usage, true);
  const only = (values.only ?? []).flatMap((list) => list.split(',')).map((name) => name.trim()).filter(Boolean);
  for (const name of only) {
    if (!(sectionNames as readonly string[]).includes(name)) throw new UsageError(`unknown section "${name}"\n${usage}`);
  }
  // Naming the peers section asks for it as surely as --peers does.
  const peers = (values.peers ?? false) || only.includes('peers');
  const wanted = only.length > 0 ? new Set(only) : new Set<string>(sectionNames);
  return {
    json: values.json ?? false,
    quick: values.quick ?? false,
    peers,
    sections: sectionNames.filter((name) => wanted.has(name) && (name !== 'peers' || peers)),
    scale: values.quick ? quickScale : fullScale,
  };
}
