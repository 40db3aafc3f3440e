import type Database from 'better-sqlite3';
import { retentionChunk, type AgedRequest } from '../retention-policy.ts';
import type { RetentionSteps } from '../retention-schedule.ts';
import type { SqliteAnswers } from './answers.ts';
import { DiskNearlyFull, isDiskFull } from './disk-reserve.ts';

/** Runs a deletion in a transaction, making room for it on a full disk (see SqliteStore). */
export type Deleting = <T>(work: () => T) => T;

/**
 * Runs a deletion that may be larger than the room a full disk has for its WAL (a bin cleared or
 * deleted): `all` in one transaction; should the disk be full, `step` in transactions of its own
 * until it deletes nothing (each small enough for the room given up, the WAL copied back between
 * them), then `finish` with the number `step` deleted (see SqliteStore).
 */
export type DeletingInSteps = <T>(all: () => T, step: () => number, finish: (deleted: number) => T) => T;

/** Requests one step of a large deletion takes at most: even one leaf page each (16 KiB), their WAL stays within a quarter of the reserve. */
export const deletionStepRows = 128;

/** Recounts bins after some of their requests were deleted, and deletes the answers none of those uses any more. */
export function prepareRecount(db: Database.Database, answers: SqliteAnswers): (bins: Iterable<string>) => void {
  const recount = db.prepare(`UPDATE bins SET
    request_count = (SELECT count(*) FROM requests WHERE bin = bins.id),
    last_request_at = (SELECT max(received_at) FROM requests WHERE bin = bins.id)
    WHERE id = ?`);
  return (bins) => {
    for (const bin of bins) recount.run(bin);
    answers.sweep(bins);
  };
}

/** Retention's deleting on SQLite (what and when: retention-policy.ts, retention-schedule.ts). Only this process writes the file. */
export function sqliteRetentionSteps(db: Database.Database, deleting: Deleting, answers: SqliteAnswers): RetentionSteps<number> {
  const s = {
    oldest: db.prepare(`SELECT id, bin, received_at AS receivedAt FROM requests ORDER BY id LIMIT ${retentionChunk}`),
    deleteUpTo: db.prepare('DELETE FROM requests WHERE id <= ?'),
    binsOverLimit: db.prepare('SELECT id FROM bins WHERE request_count > ?').pluck(),
    nthNewestId: db.prepare('SELECT id FROM requests WHERE bin = ? ORDER BY id DESC LIMIT 1 OFFSET ?').pluck(),
    deleteOlderInBin: db.prepare(`DELETE FROM requests WHERE id IN
      (SELECT id FROM requests WHERE bin = ? AND id <= ? ORDER BY id LIMIT ${retentionChunk})`),
    uncount: db.prepare('UPDATE bins SET request_count = request_count - ? WHERE id = ?'),
  };
  const recount = prepareRecount(db, answers);
  return {
    isDiskFull: (error) => isDiskFull(error) || error instanceof DiskNearlyFull,
    binsOverLimit: async (maxRequestsPerBin) => s.binsOverLimit.all(maxRequestsPerBin) as string[],

    async deleteOldest(choose) {
      const oldest = s.oldest.all() as AgedRequest<number>[];
      const deletion = choose(oldest);
      if (deletion) {
        deleting(() => {
          s.deleteUpTo.run(deletion.upTo);
          recount(deletion.bins);
        });
      }
      return { read: oldest.length, deleted: deletion !== undefined };
    },

    async trimBin(bin, keep) {
      const newestDropped = s.nthNewestId.get(bin, keep) as number | undefined;
      if (newestDropped === undefined) return 'done';
      const deleted = deleting(() => {
        const { changes } = s.deleteOlderInBin.run(bin, newestDropped);
        // The oldest went: the count drops by what was deleted, the newest time stays.
        s.uncount.run(changes, bin);
        answers.sweep([bin]);
        return changes;
      });
      return deleted < retentionChunk ? 'done' : 'more';
    },

    /** Bytes of live data in the database and its search index: their pages less the free ones that new rows will reuse. */
    async storedBytes() {
      let bytes = 0;
      for (const schema of ['main', 'search']) {
        const pragma = (name: string) => db.pragma(`${schema}.${name}`, { simple: true }) as number;
        bytes += (pragma('page_count') - pragma('freelist_count')) * pragma('page_size');
      }
      return bytes;
    },
  };
}
