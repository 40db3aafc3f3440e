import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestDetail } from '../../../shared/api.ts';
import { backtrackingRisk } from '../../../shared/rules/regex-guard.ts';
import { RegexTimeLimit, regexTimeLimitMs } from '../../../server/rules/regex-time-limit.ts';
import { fetchDetail, startTestApp, testEngines, type TestApp } from '../../helpers/app.ts';

/** Patterns built from pieces that a rule may hold, most of them quantified, so that many backtrack. */
const pieces = ['a', 'b', 'x', '.', '\\d', '\\s', '\\w', '[ab]', '[^x]', '(?:a|b)', '(?:a|ab)', '(a)', '^', '$', '\\b', '*', '+', '?', '*?', '{2}', '{1,3}', '{2,}', '|'];
const pattern = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 8 }).map((parts) => parts.join(''));
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'x', '1', ' ', '\n'), maxLength: 40 });

/** The pattern on V8's linear-time engine alone: the `l` flag, known to V8 once `--enable-experimental-regexp-engine` is set (and not to linters). */
function linearRegExp(source: string): RegExp {
  return new RegExp(source, ['l'].join(''));
}

function isRulePattern(source: string): boolean {
  try {
    new RegExp(source);
  } catch {
    return false;
  }
  return backtrackingRisk(source) === null;
}

/**
 * Patterns that the shared guard lets through, yet that backtrack for seconds on 64 KiB: exponential
 * and polynomial. Each text starts with what every match holds, where no match can start: without
 * it, capture would decide the pattern without running it (shared/rules/required-literals.ts).
 */
const hostile: [source: string, fill: string, lead: string][] = [
  ['(?:a|a)+b', 'a', 'b'],
  ['(a|aa)+c', 'a', 'c'],
  ['\\d+x', '1', 'x'],
  ['\\s+\\s*\\s*x', ' ', 'x'],
  ['a+a*a*b', 'a', 'b'],
  ['\\w+@\\w+\\.com', 'a', '@.com'],
  ['.+.*.*=', 'x', '='],
];

describe('RegexTimeLimit', () => {
  // Longer than the default, so that a quick pattern finishes in time on a loaded test machine.
  const regexes = new RegexTimeLimit(300);
  beforeAll(() => setFlagsFromString('--enable-experimental-regexp-engine'));
  afterAll(() => regexes.close());

  it("lets through only patterns V8's linear-time engine runs, so each has that fallback", () => {
    fc.assert(
      fc.property(pattern.filter(isRulePattern), (source) => {
        expect(() => linearRegExp(source)).not.toThrow();
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps the meaning of patterns, on the capture thread with the fallback and on the worker', async () => {
    const cases = fc.sample(fc.tuple(pattern.filter(isRulePattern), text), 400);
    // A time limit no loaded test machine reaches: this is about what the worker answers.
    const patient = new RegexTimeLimit(60_000);
    const onWorker = await patient.run(cases.map(([source, subject]) => ({ source, subject })));
    for (const [at, [source, subject]] of cases.entries()) {
      const linear = linearRegExp(source).test(subject);
      expect(new RegExp(source).test(subject), `/${source}/ on ${JSON.stringify(subject)}`).toBe(linear);
      expect(onWorker[at], `/${source}/ on the worker`).toBe(linear);
    }
    await patient.close();
  });

  it('stops a pattern that runs past the time limit, keeps what finished, and answers the next batch', async () => {
    const started = performance.now();
    const results = await regexes.run([
      { source: 'a+$', subject: 'aaa' },
      { source: '\\d+x', subject: '1'.repeat(64 * 1024) },
    ]);
    expect(results).toEqual([true, undefined]);
    // Alone, that pattern runs for seconds (about 12 s on the machine this was written on).
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await regexes.run([{ source: '^b', subject: 'bc' }])).toEqual([true]);
  });
});

describe.each(testEngines())('a hostile pattern on a 64 KiB body on $name (real HTTP)', (engine) => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    base = await t.listen();
    const put = async (bin: string, source: string) => {
      const rules = [
        { name: 'body', when: [{ body: { matches: source } }], respond: { status: 418 } },
        { name: 'header', when: [{ header: { name: 'x-long', matches: source } }], respond: { status: 419 } },
      ];
      const answer = await fetch(`${base}/api/bins/${bin}/rules`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
      expect(answer.status).toBe(200);
    };
    for (const [at, [source]] of hostile.entries()) {
      await put(`hostile-${at}`, source);
      // The same sizes of work with a pattern that answers at once: what the machine itself adds.
      await put(`calm-${at}`, '^z');
    }
  });
  afterAll(() => t.close());

  /** Sends a 64 KiB body and an 8 KiB header to each bin at once, while /healthz and a capture without rules are asked in turn. */
  async function traffic(prefix: string) {
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const others: number[] = [];
    let sending = true;
    const polling = (async () => {
      while (sending) {
        const started = performance.now();
        expect((await fetch(`${base}/healthz`)).status).toBe(200);
        expect((await fetch(`${base}/b/other`, { method: 'POST', body: 'plain' })).status).toBe(200);
        others.push(performance.now() - started);
      }
    })();
    const answers = await Promise.all(
      hostile.map(async ([source, fill, lead], at) => {
        const started = performance.now();
        const answer = await fetch(`${base}/b/${prefix}-${at}`, { method: 'POST', headers: { 'x-long': lead + fill.repeat(8 * 1024) }, body: lead + fill.repeat(64 * 1024) });
        return { source, status: answer.status, ms: performance.now() - started, id: ((await answer.json()) as { id: string }).id };
      }),
    );
    sending = false;
    await polling;
    loop.disable();
    return { answers, loopMax: loop.max / 1e6, othersMax: Math.max(...others) };
  }

  it('answers within the time limit, skipping the rule, and delays /healthz and other captures no more than a harmless pattern does', async () => {
    // The first round also starts the worker thread; then calm and hostile rounds alternate, so
    // that what other work on the machine adds falls on both sides alike.
    await traffic('calm');
    const calm: Awaited<ReturnType<typeof traffic>>[] = [];
    const hostileRuns: typeof calm = [];
    for (let round = 0; round < 7; round++) {
      calm.push(await traffic('calm'));
      hostileRuns.push(await traffic('hostile'));
    }
    const slowestCalm = Math.max(...calm.flatMap((run) => run.answers.map((answer) => answer.ms)));
    for (const { source, status, ms } of hostileRuns.flatMap((run) => run.answers)) {
      expect(status, `/${source}/`).toBe(200);
      // Each stop costs the time limit and a fresh worker's start-up: at most seconds on a loaded machine, against hours.
      expect(ms, `/${source}/`).toBeLessThan(slowestCalm + 2000);
    }
    // The promise: a hostile pattern makes its own capture wait up to the time limit, and nothing
    // else (/healthz, a capture without rules, a turn of the event loop) waits that long because
    // of it. A pattern that held the capture thread would stall every hostile round for seconds,
    // its quietest too. A loaded machine stalls any round by tens to hundreds of milliseconds, calm
    // or hostile, so the hostile rounds are held against the whole spread of the calm ones: when
    // both are alike, all seven hostile rounds come out slower than all seven calm ones by chance
    // once in C(14, 7) = 3432 runs, and slower by more than the time limit more rarely still.
    for (const measure of ['loopMax', 'othersMax'] as const) {
      const quietestHostile = Math.min(...hostileRuns.map((run) => run[measure]));
      const slowestCalmRound = Math.max(...calm.map((run) => run[measure]));
      expect(quietestHostile, measure).toBeLessThan(slowestCalmRound + regexTimeLimitMs);
    }
    const detail: RequestDetail = await fetchDetail(base, hostileRuns[0]!.answers[2]!.id);
    expect(detail.answer?.reasons).toEqual(['/\\d+x/ took too long on the body, so the rule was skipped', '/\\d+x/ took too long on the header "x-long", so the rule was skipped']);
  });
});
