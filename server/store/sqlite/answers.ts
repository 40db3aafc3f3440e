import type Database from 'better-sqlite3';
import { AnswerIds } from '../answer-ids.ts';

/**
 * The answers table on SQLite: each distinct answer a bin's captures recorded (a `RequestAnswer` as
 * JSON), stored once; requests refer to it by id. `last_request` is the newest request that does,
 * so the answers no request uses any more are found without reading the requests: those older than
 * their bin's oldest request.
 */
export interface SqliteAnswers {
  /** The id of this bin's answer with this text, created if need be, in the inserting transaction (the bin exists). */
  idOf(bin: string, text: string): number;
  /** In the inserting transaction: each answer's id, and the newest request that now uses it. */
  used(lastRequests: Map<number, number>): void;
  /** In a deleting transaction: deletes the answers of these bins that none of their requests uses any more. */
  sweep(bins: Iterable<string>): void;
  /** Drops the ids kept in memory, whose rows may be gone: a bin deleted, or a transaction that created one rolled back. */
  forget(): void;
}

export function sqliteAnswers(db: Database.Database): SqliteAnswers {
  // DO UPDATE, not DO NOTHING: RETURNING then gives the id of a row that was there already.
  const upsert = db.prepare('INSERT INTO answers (bin, text, last_request) VALUES (?, ?, 0) ON CONFLICT (bin, text) DO UPDATE SET last_request = last_request RETURNING id').pluck();
  const use = db.prepare('UPDATE answers SET last_request = max(last_request, ?) WHERE id = ?');
  const sweep = db.prepare(`DELETE FROM answers WHERE bin = @bin
    AND last_request < coalesce((SELECT min(id) FROM requests WHERE bin = @bin), 9223372036854775807)`);
  const ids = new AnswerIds();
  return {
    idOf(bin, text) {
      let id = ids.get(bin, text);
      if (id === undefined) {
        id = upsert.get(bin, text) as number;
        ids.set(bin, text, id);
      }
      return id;
    },
    used(lastRequests) {
      for (const [id, last] of lastRequests) use.run(last, id);
    },
    sweep(bins) {
      let deleted = 0;
      for (const bin of bins) deleted += sweep.run({ bin }).changes;
      if (deleted > 0) ids.forget();
    },
    forget: () => ids.forget(),
  };
}
