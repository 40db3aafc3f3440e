import type Database from 'better-sqlite3';
import type { ForwardResult } from '../../../shared/api.ts';
import { prepareRecount } from './retention.ts';

/** Changing stored requests through the API: deleting one, clearing a bin, recording a relay. */
export function prepareRequestChanges(db: Database.Database) {
  const deleteRequest = db.prepare('DELETE FROM requests WHERE id = ? RETURNING bin').pluck();
  const clearBin = db.prepare('DELETE FROM requests WHERE bin = ?');
  const recordForward = db.prepare('UPDATE requests SET forward = ? WHERE id = ?');
  const recount = prepareRecount(db);
  return {
    /** Deletes a request (inside the store's `Deleting` transaction); false when there was none. */
    deleteRequest(id: string): boolean {
      const bin = deleteRequest.get(BigInt(id)) as string | undefined;
      if (bin !== undefined) recount([bin]);
      return bin !== undefined;
    },
    /** Deletes every request of a bin (inside the store's `Deleting` transaction); how many there were. */
    clearBin(bin: string): number {
      const { changes } = clearBin.run(bin);
      recount([bin]);
      return changes;
    },
    recordForward(id: string, result: ForwardResult): void {
      recordForward.run(JSON.stringify(result), BigInt(id));
    },
  };
}
