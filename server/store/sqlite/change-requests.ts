import type Database from 'better-sqlite3';
import type { RequestTable } from '../engine.ts';
import type { SqliteAnswers } from './answers.ts';
import { deletionStepRows, prepareRecount, type Deleting, type DeletingInSteps } from './retention.ts';

/** One step of emptying a bin on a full disk: its oldest requests, `deletionStepRows` at most; how many went. */
export function prepareBinStep(db: Database.Database): (bin: string) => number {
  const step = db.prepare(`DELETE FROM requests WHERE id IN (SELECT id FROM requests WHERE bin = ? ORDER BY id LIMIT ${deletionStepRows})`);
  return (bin) => step.run(bin).changes;
}

/**
 * Changing stored requests through the API: deleting one, clearing a bin, recording a relay. Deletions
 * run in `deleting`, and clearing a bin, however large, in `deletingInSteps`.
 */
export function sqliteRequestChanges(
  db: Database.Database,
  deleting: Deleting,
  deletingInSteps: DeletingInSteps,
  answers: SqliteAnswers,
): Pick<RequestTable, 'delete' | 'clearBin' | 'recordForward'> {
  const deleteRequest = db.prepare('DELETE FROM requests WHERE id = ? RETURNING bin').pluck();
  const clearBin = db.prepare('DELETE FROM requests WHERE bin = ?');
  const binStep = prepareBinStep(db);
  const recordForward = db.prepare('UPDATE requests SET forward = ? WHERE id = ?');
  const recount = prepareRecount(db, answers);
  return {
    delete: (id) =>
      deleting(() => {
        const bin = deleteRequest.get(BigInt(id)) as string | undefined;
        if (bin !== undefined) recount([bin]);
        return bin !== undefined;
      }),
    clearBin: (bin) =>
      deletingInSteps(
        () => {
          const { changes } = clearBin.run(bin);
          recount([bin]);
          return changes;
        },
        () => binStep(bin),
        (deleted) => {
          recount([bin]);
          return deleted;
        },
      ),
    recordForward(id, result) {
      recordForward.run(JSON.stringify(result), BigInt(id));
    },
  };
}
