import type Database from 'better-sqlite3';
import type { RequestTable } from '../engine.ts';
import { prepareRecount, type Deleting } from './retention.ts';

/** Changing stored requests through the API: deleting one, clearing a bin, recording a relay. Deletions run in `deleting`. */
export function sqliteRequestChanges(db: Database.Database, deleting: Deleting): Pick<RequestTable, 'delete' | 'clearBin' | 'recordForward'> {
  const deleteRequest = db.prepare('DELETE FROM requests WHERE id = ? RETURNING bin').pluck();
  const clearBin = db.prepare('DELETE FROM requests WHERE bin = ?');
  const recordForward = db.prepare('UPDATE requests SET forward = ? WHERE id = ?');
  const recount = prepareRecount(db);
  return {
    delete: (id) =>
      deleting(() => {
        const bin = deleteRequest.get(BigInt(id)) as string | undefined;
        if (bin !== undefined) recount([bin]);
        return bin !== undefined;
      }),
    clearBin: (bin) =>
      deleting(() => {
        const { changes } = clearBin.run(bin);
        recount([bin]);
        return changes;
      }),
    recordForward(id, result) {
      recordForward.run(JSON.stringify(result), BigInt(id));
    },
  };
}
