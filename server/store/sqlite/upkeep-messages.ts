// What the store and its upkeep thread say to each other.

export interface UpkeepStart {
  /** The SQLite file, already migrated by the store. */
  path: string;
}

export type ToUpkeep =
  /** Requests were committed or deleted: bring the index up to date. */
  | { type: 'requests-changed' }
  /** Finish the current step, close the connection and exit. */
  | { type: 'close' };

export type FromUpkeep =
  /** Every request up to `upTo` is in the search index; `idle` when nothing more waits. */
  { type: 'indexed'; upTo: number; idle: boolean };
