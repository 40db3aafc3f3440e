import type Database from 'better-sqlite3';
import { insertedRequestColumns } from '../columns.ts';
import type { InsertedRequests } from '../engine.ts';
import { claimRules, limitedRules } from '../rule-claims.ts';
import { storedWithId, type CapturedRequest } from '../store.ts';
import type { SqliteAnswers } from './answers.ts';

/**
 * A body this big is written with the page cache held to `largeWriteCacheKib`: its overflow pages
 * then go out to the WAL as they are filled, instead of all waiting in the cache (16 MB by default)
 * for the commit, on top of the two copies SQLite makes to bind the body and build its row.
 */
const largeBodyBytes = 1024 * 1024;
const largeWriteCacheKib = 512;

export interface InsertedBatch extends InsertedRequests {
  /** How many of the bins the insert created. */
  binsCreated: number;
}

/**
 * Inserting requests: `insert` stores them and counts them into their bins (creating the bins that
 * do not exist yet, unless `isKnown` says they do) in one transaction, which also claims the rules
 * that answer them (rule-claims.ts), and refers each to its answer, stored once (answers.ts).
 */
export function prepareInsertBatch(db: Database.Database, answers: SqliteAnswers): (requests: CapturedRequest[], isKnown: (bin: string) => boolean) => InsertedBatch {
  const ensureBin = db.prepare('INSERT INTO bins (id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const insertRequest = db.prepare(`INSERT INTO requests (${insertedRequestColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`);
  const countBin = db
    .prepare('UPDATE bins SET request_count = request_count + ?, last_request_at = max(coalesce(last_request_at, 0), ?) WHERE id = ? RETURNING request_count')
    .pluck();
  const ruleAnswersLeft = db.prepare('SELECT times - answered FROM bin_rules WHERE bin = ? AND id = ?').pluck();
  const countRule = db.prepare('UPDATE bin_rules SET answered = answered + ? WHERE bin = ? AND id = ?');
  /** The page cache size of the main database, as `PRAGMA cache_size` gives it. */
  const cacheSize = db.pragma('main.cache_size', { simple: true }) as number;

  const insert = db.transaction((requests: CapturedRequest[], isKnown: (bin: string) => boolean): InsertedBatch => {
    let binsCreated = 0;
    const perBin = new Map<string, { count: number; last: number }>();
    /** The answers used, each with the newest request that uses it. */
    const used = new Map<number, number>();
    // Read in this transaction, which writes them before anyone else can: this connection is the only
    // one that writes the main database (the upkeep thread writes the search file alone; BEGIN
    // IMMEDIATE would lock that too, and wait for its indexing), and had another writer overtaken
    // the read, SQLite would refuse this transaction's writes (SQLITE_BUSY_SNAPSHOT), never count twice.
    const claims = claimRules(
      requests,
      limitedRules(requests).map((rule) => ({ ...rule, left: (ruleAnswersLeft.get(rule.bin, rule.ruleId) as number | undefined) ?? 0 })),
    );
    const stored = requests.map((r, at) => {
      if (!isKnown(r.bin) && !perBin.has(r.bin)) binsCreated += ensureBin.run(r.bin, r.receivedAt).changes;
      const answer = claims.answers[at];
      const answerId = answer ? answers.idOf(r.bin, answer) : null;
      const { lastInsertRowid } = insertRequest.run(
        r.bin, r.receivedAt, r.method, r.path, r.query, r.httpVersion, r.remoteAddress, r.remotePort,
        JSON.stringify(r.headers), Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength), r.bodySize, r.truncated ? 1 : 0, r.parserError ?? null, answerId,
      );
      if (answerId !== null) used.set(answerId, Number(lastInsertRowid));
      const counter = perBin.get(r.bin) ?? { count: 0, last: 0 };
      counter.count++;
      counter.last = Math.max(counter.last, r.receivedAt);
      perBin.set(r.bin, counter);
      return storedWithId(r, String(lastInsertRowid), claims.answeredBy[at]);
    });
    const bins: InsertedBatch['bins'] = new Map();
    for (const [bin, { count, last }] of perBin) bins.set(bin, { requestCount: countBin.get(count, last, bin) as number });
    for (const { bin, ruleId, count } of claims.counted) countRule.run(count, bin, ruleId);
    answers.used(used);
    return { stored, bins, binsCreated };
  });
  /** An answer this transaction created goes with it, and its id may be given again. */
  const insertOrForget = (requests: CapturedRequest[], isKnown: (bin: string) => boolean): InsertedBatch => {
    try {
      return insert(requests, isKnown);
    } catch (error) {
      answers.forget();
      throw error;
    }
  };

  return (requests, isKnown) => {
    if (!requests.some((r) => r.body.byteLength >= largeBodyBytes)) return insertOrForget(requests, isKnown);
    db.pragma(`main.cache_size = -${largeWriteCacheKib}`);
    try {
      return insertOrForget(requests, isKnown);
    } finally {
      db.pragma(`main.cache_size = ${cacheSize}`);
    }
  };
}
