// `node dist/bench/answer-cost.js [BLOCKS] [BATCH]`: what recording an answer costs the capture thread, and what
// claiming a rule without `times` does beside it, measured in one SQLite store and one bin (two bins would put
// their index entries at different places). Blocks of 1,000 1 KB captures alternate between the two kinds; the
// main thread's CPU (/proc's schedstat, so neither the upkeep thread nor other processes count) is read per
// block, and the medians of each kind and of the paired differences are printed. Run it from two builds'
// dist/ folders to compare them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../server/store/sqlite/sqlite-store.ts';
import type { CapturedRequest } from '../server/store/store.ts';

const blocks = Number(process.argv[2] ?? 40);
const batch = Number(process.argv[3] ?? 5);
const perBlock = 1000;
const bin = 'answers';
const body = Buffer.alloc(1024, 'a');
// As long as the rules bench's recorded answer (about 900 bytes), one string object each time as RecordedAnswers gives it.
const reasons = Array.from({ length: 10 }, (_, i) => `condition ${i} does not hold: the header X-Something-${i} is missing from the request`);
const answer = `{"status":200,"rule":{"id":"r20","name":"Zendesk API"},"reasons":${JSON.stringify(reasons)}}`;

/** CPU time of this process's main thread, where capture runs, in nanoseconds. */
const mainThreadNs = () => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);

const capture = (overrides: Partial<CapturedRequest>): CapturedRequest => ({
  bin,
  receivedAt: Date.now(),
  method: 'POST',
  path: '/hook',
  query: '',
  httpVersion: '1.1',
  remoteAddress: '127.0.0.1',
  remotePort: 50000,
  headers: [['Host', 'h'], ['Content-Type', 'application/json']],
  body,
  bodySize: body.length,
  truncated: false,
  ...overrides,
});

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Main-thread µs per capture of each kind, alternating which goes first, and the paired differences (`b` − `a`). */
async function paired(store: SqliteStore, a: () => CapturedRequest, b: () => CapturedRequest) {
  const block = async (make: () => CapturedRequest) => {
    const start = mainThreadNs();
    for (let i = 0; i < perBlock; i += batch) await Promise.all(Array.from({ length: batch }, () => store.capture(make())));
    return (mainThreadNs() - start) / 1000 / perBlock;
  };
  await block(a);
  await block(b);
  const first: number[] = [];
  const second: number[] = [];
  for (let at = 0; at < blocks; at++) {
    if (at % 2 === 0) {
      first.push(await block(a));
      second.push(await block(b));
    } else {
      second.push(await block(b));
      first.push(await block(a));
    }
  }
  const round = (micros: number) => Math.round(micros * 10) / 10;
  return { a: round(median(first)), b: round(median(second)), pairedDifference: round(median(second.map((value, at) => value - first[at]!))) };
}

const dir = mkdtempSync(join(tmpdir(), 'authbin-answer-cost-'));
const store = new SqliteStore(join(dir, 'answer-cost.db'), { maxRequestsPerBin: 2 ** 31 - 1, retentionDays: 7 });
try {
  await store.createBin(bin, null);
  const [rule] = await store.setRules(bin, [{ id: '', name: 'always', when: [], respond: { status: 200 } }]);
  const claimed = { ruleId: rule!.id, limited: false, answer };
  const recorded = await paired(store, () => capture({}), () => capture({ storedAnswer: answer }));
  const claim = await paired(store, () => capture({ storedAnswer: answer }), () => capture({ ruleClaims: [claimed] }));
  console.log(`${blocks} blocks of ${perBlock} captures, ${batch} per batch, main-thread µs per capture (medians)`);
  console.log(`no answer ${recorded.a}, the ${answer.length}-byte answer ${recorded.b}: paired difference ${recorded.pairedDifference}`);
  console.log(`that answer recorded ${claim.a}, claimed by a rule without times ${claim.b}: paired difference ${claim.pairedDifference}`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
