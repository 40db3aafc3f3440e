// What the store and its upkeep thread say to each other.
import type { FileId } from './file-identity.ts';
import type { IndexProgress } from './search-indexer.ts';

export interface UpkeepStart {
  /** The SQLite file, already migrated by the store. */
  path: string;
  /** The file the store opened at `path`: the thread works on no other (file-identity.ts). */
  opened: FileId;
  /** How far the database's WAL may grow (checkpoint-pace.ts): the thread copies it back in steps of half that. */
  walCeilingBytes: number;
}

export type ToUpkeep =
  /** Requests were committed or deleted: bring the index up to date. */
  | { type: 'requests-changed' }
  /** The store's connection copied back the commits made during the thread's copy of the WAL: the thread may read again. */
  | { type: 'wal-caught-up' }
  /** Finish the current step, close the connection and exit. */
  | { type: 'close' };

export type FromUpkeep =
  /** How far the search index got (see IndexProgress); `idle` when nothing more waits. */
  | { type: 'indexed'; progress: IndexProgress; idle: boolean }
  /**
   * The thread copied the database's WAL back as far as the commits made before the copy began:
   * the store copies the few made since (see upkeep-worker.ts), then answers `wal-caught-up`.
   */
  | { type: 'wal-copied' };
