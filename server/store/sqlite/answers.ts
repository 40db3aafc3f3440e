import type Database from 'better-sqlite3';
import { AnswerIds } from '../answer-ids.ts';

/** Answers whose newest request is kept in memory only, at most; then the inserting transaction writes them. */
const maxUnwritten = 1024;

/**
 * The answers table on SQLite: each distinct answer a bin's captures recorded (a `RequestAnswer` as
 * JSON), stored once; requests refer to it by id. `last_request` is at least the newest request that
 * does, so the answers no request uses any more are found without reading the requests: those older
 * than their bin's oldest request.
 *
 * Only this process writes the file, so it keeps the newest request of each answer it used in
 * memory, and writes it only before deleting answers (or when too many wait): a capture then
 * writes no more than its own row. The newest requests a process had not written die with it: every
 * answer is taken to be used up to the newest request there was at open, a bound held in memory too,
 * so that opening writes nothing (the file may be on a full disk).
 */
export interface SqliteAnswers {
  /** The id of this bin's answer with this text, created if need be, in the inserting transaction (the bin exists). */
  idOf(bin: string, text: string): number;
  /** In the inserting transaction: the request `requestId` of `bin` refers to the answer `id`. */
  used(id: number, bin: string, requestId: number): void;
  /** In the inserting transaction, after its requests: writes the newest requests kept in memory, when too many wait. */
  inserted(): void;
  /** The inserting transaction committed: what it wrote need not be kept in memory any more. */
  committed(): void;
  /** In a deleting transaction: deletes the answers of these bins that none of their requests uses any more. */
  sweep(bins: Iterable<string>): void;
  /** Drops the ids kept in memory, whose rows may be gone: a bin deleted, or a transaction that created one rolled back. */
  forget(): void;
}

export function sqliteAnswers(db: Database.Database): SqliteAnswers {
  // DO UPDATE, not DO NOTHING: RETURNING then gives the id of a row that was there already.
  const upsert = db.prepare('INSERT INTO answers (bin, text, last_request) VALUES (?, ?, 0) ON CONFLICT (bin, text) DO UPDATE SET last_request = last_request RETURNING id').pluck();
  const write = db.prepare('UPDATE answers SET last_request = max(last_request, ?) WHERE id = ?');
  const sweep = db.prepare(`DELETE FROM answers WHERE bin = @bin
    AND max(last_request, @newestAtOpen) < coalesce((SELECT min(id) FROM requests WHERE bin = @bin), 9223372036854775807)`);
  // A bigint: request ids may pass 2^53.
  const newestAtOpen = db.prepare('SELECT coalesce(max(id), 0) FROM requests').pluck().safeIntegers().get() as bigint;

  const ids = new AnswerIds();
  /**
   * The newest request of each answer used, not written yet or not known to be committed. Kept
   * through a rollback, and past the answer's deletion: the rows may come back with the rollback.
   */
  const unwritten = new Map<number, { bin: string; newest: number }>();
  /** What the inserting transaction wrote, by answer, until it commits. */
  let written: Map<number, number> | undefined;
  const writeFor = (wanted: (bin: string) => boolean) => {
    const done = new Map<number, number>();
    for (const [id, { bin, newest }] of unwritten) {
      if (!wanted(bin)) continue;
      write.run(newest, id);
      done.set(id, newest);
    }
    return done;
  };

  return {
    idOf(bin, text) {
      let id = ids.get(bin, text);
      if (id === undefined) {
        id = upsert.get(bin, text) as number;
        ids.set(bin, text, id);
      }
      return id;
    },
    used(id, bin, requestId) {
      const kept = unwritten.get(id);
      if (!kept) unwritten.set(id, { bin, newest: requestId });
      else if (requestId > kept.newest) kept.newest = requestId;
    },
    inserted() {
      if (unwritten.size >= maxUnwritten) written = writeFor(() => true);
    },
    committed() {
      for (const [id, newest] of written ?? []) if (unwritten.get(id)?.newest === newest) unwritten.delete(id);
      written = undefined;
    },
    sweep(bins) {
      const swept = new Set(bins);
      writeFor((bin) => swept.has(bin));
      let deleted = 0;
      for (const bin of swept) deleted += sweep.run({ bin, newestAtOpen }).changes;
      if (deleted > 0) ids.forget();
    },
    forget() {
      ids.forget();
      written = undefined;
    },
  };
}
