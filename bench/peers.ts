import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate, cpuRow, roundsNote } from './compare.ts';
import type { BenchContext } from './context.ts';
import { captureHeaders, kib, ticketJson } from './payloads.ts';
import { freePort, HarnessError, startProcess, type ServerProcess } from './processes.ts';
import { count, judge, ms, ratio, row, rps, type SectionResult } from './report.ts';
import { startAuthbin, withServers } from './servers.ts';

/** Git-ignored: peers are measured, never depended on. */
const peersDir = fileURLToPath(new URL('../../bench/peers/', import.meta.url));
const mockoonCli = join(peersDir, 'node_modules', '@mockoon', 'cli', 'bin', 'run.js');

function installMockoon(ctx: BenchContext): void {
  if (existsSync(mockoonCli)) return;
  ctx.log('peers: installing @mockoon/cli into bench/peers/ (once)…');
  mkdirSync(peersDir, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--prefix', peersDir, '@mockoon/cli', '--no-audit', '--no-fund'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0 || !existsSync(mockoonCli)) throw new HarnessError('could not install @mockoon/cli into bench/peers/');
}

interface MockoonCommons {
  BuildEnvironment(params: { hasDefaultRoute: boolean; hasContentTypeHeader: boolean; hasCorsHeaders: boolean; port: number }): {
    name: string; port: number; hostname: string; routes: unknown[]; rootChildren: unknown[];
  };
  BuildHTTPRoute(hasDefaultResponse: boolean, options: { endpoint: string; body: string }): {
    uuid: string; method: string; responses: { headers: { key: string; value: string }[] }[];
  };
}

/** A Mockoon environment with one catch-all route answering {"ok":true}, built with Mockoon's own schema builders. */
function writeCatchAllEnvironment(path: string, port: number): void {
  const commons = createRequire(join(peersDir, 'package.json'))('@mockoon/commons') as MockoonCommons;
  const env = commons.BuildEnvironment({ hasDefaultRoute: false, hasContentTypeHeader: true, hasCorsHeaders: false, port });
  const route = commons.BuildHTTPRoute(true, { endpoint: '*', body: '{"ok":true}' });
  route.method = 'all';
  route.responses[0]!.headers = [{ key: 'Content-Type', value: 'application/json' }];
  env.name = 'authbin-bench-catch-all';
  env.hostname = '127.0.0.1';
  env.routes = [route];
  env.rootChildren = [{ type: 'route', uuid: route.uuid }];
  writeFileSync(path, JSON.stringify(env, null, 2));
}

/** Mockoon CLI persisting every transaction to its log file, as a separate process. */
async function startMockoon(ctx: BenchContext): Promise<ServerProcess> {
  const port = await freePort();
  const envFile = ctx.file('mockoon-environment.json');
  writeCatchAllEnvironment(envFile, port);
  // Its logs go under $HOME/.mockoon-cli/logs: keep them in the scratch folder.
  const home = ctx.file('mockoon-home');
  mkdirSync(home);
  return startProcess({
    name: 'Mockoon CLI',
    command: process.execPath,
    args: [mockoonCli, 'start', '--data', envFile, '--port', String(port), '--hostname', '127.0.0.1', '--log-transaction', '--disable-admin-api'],
    env: { ...process.env, HOME: home },
    readyUrl: `http://127.0.0.1:${port}/healthz`,
    timeoutMs: 60_000,
  });
}

/** Section 3: the same capture load against Mockoon CLI, a mock server that logs every request to a file. */
export async function peersSection(ctx: BenchContext): Promise<SectionResult> {
  installMockoon(ctx);
  const { scale } = ctx;
  const shape = { path: '/b/bench/hook', method: 'POST', headers: captureHeaders(), body: ticketJson(kib), connections: 50 };
  const db = ctx.file('peers.db');
  ctx.log('peers: Mockoon CLI (--log-transaction) and authbin, 1 KB POST, 50 connections');
  try {
    const [mockoon, authbin] = await withServers([() => startMockoon(ctx), () => startAuthbin({ db })], ([mockoonServer, authbinServer]) =>
      alternate([{ server: mockoonServer! }, { server: authbinServer!, warmupPath: '/b/warmup/hook' }], shape, {
        rounds: scale.rounds,
        seconds: scale.loadSeconds,
        warmupSeconds: scale.warmupSeconds,
      }),
    );
    const multiple = authbin!.rps / mockoon!.rps;
    return {
      rows: [
        row('authbin vs Mockoon CLI, 1 KB ×50: requests/s', rps(authbin!.rps), {
          reference: `Mockoon CLI ${rps(mockoon!.rps)} → ${ratio(multiple)}`,
          target: '≥ 10× Mockoon CLI',
          verdict: judge(multiple >= 10, { quick: ctx.quick, scaleBound: true }),
          values: { rps: authbin!.rps, mockoonRps: mockoon!.rps, multiple },
        }),
        cpuRow('authbin vs Mockoon CLI, 1 KB ×50', authbin!, mockoon!, 'Mockoon CLI'),
        row('Mockoon CLI, 1 KB ×50: p50 / p99', `${ms(mockoon!.p50)} / ${ms(mockoon!.p99)}`, {
          reference: `authbin ${ms(authbin!.p50)} / ${ms(authbin!.p99)}`,
          values: { p50Ms: mockoon!.p50, p99Ms: mockoon!.p99 },
        }),
        row('Mockoon CLI: non-2xx or failed', count(mockoon!.non2xx + mockoon!.errors), { values: { non2xx: mockoon!.non2xx, errors: mockoon!.errors } }),
      ],
      notes: [
        roundsNote('1 KB ×50', [{ name: 'authbin', result: authbin! }, { name: 'Mockoon CLI', result: mockoon! }]),
        'Mockoon CLI: one catch-all route answering {"ok":true}, started with --log-transaction (every request and response written to its log file)',
      ],
    };
  } finally {
    ctx.removeDb(db);
  }
}
