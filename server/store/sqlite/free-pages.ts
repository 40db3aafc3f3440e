import type Database from 'better-sqlite3';

/** Pages one step gives back at most: 4 MiB of 16 KiB pages, and about as much WAL. */
const stepPages = 256;
/** Free room kept inside the file at least: what retention frees is taken again by the next captures. */
const keptBytes = 8 * 1024 * 1024;
/** Of the file, the share of free pages kept: past it, deletions (a bin deleted or cleared) give the rest back. */
const keptShare = 1 / 8;

/**
 * Gives the room that deletions free inside the database file back to the filesystem, where the
 * WAL, the search index and other programs can use it (a bin of 40 MiB deleted used to leave the
 * file at its size for good). A new database is made with `auto_vacuum = INCREMENTAL` for this; one
 * made before keeps `auto_vacuum = NONE` until someone runs VACUUM on it, and nothing happens here.
 *
 * Free pages up to an eighth of the file (8 MiB at least) are kept: retention and the size cap free
 * room that the next captures fill again, and handing it back would move live pages to the front of
 * the file only to grow it again. The rest goes back a step at a time, each step its own transaction
 * on a later turn of the event loop (a few milliseconds; captures go between them), the WAL copied
 * back after each so that it stays small, and only while `canWrite` (the disk has room: a step
 * writes the pages it moves).
 */
export class FreePages {
  readonly #db: Database.Database;
  readonly #canWrite: () => boolean;
  readonly #run: (work: () => void) => void;
  readonly #incremental: boolean;
  #next: NodeJS.Immediate | undefined;

  /** `run` runs a step and logs a failure of it (the store's upkeep). */
  constructor(db: Database.Database, canWrite: () => boolean, run: (work: () => void) => void) {
    this.#db = db;
    this.#canWrite = canWrite;
    this.#run = run;
    this.#incremental = db.pragma('main.auto_vacuum', { simple: true }) === 2;
  }

  /** Requests were deleted: what is free past the room kept goes back, step by step. */
  deleted(): void {
    if (this.#incremental && this.#next === undefined) this.#next = setImmediate(() => this.#step());
  }

  /** Stops giving back (the store is closing). */
  close(): void {
    clearImmediate(this.#next);
    this.#next = undefined;
  }

  #step(): void {
    this.#next = undefined;
    const excess = this.#excessPages();
    if (excess === 0 || !this.#canWrite()) return;
    this.#run(() => {
      this.#db.pragma(`main.incremental_vacuum(${Math.min(excess, stepPages)})`);
      // The file shrinks once the WAL is copied back into it.
      this.#db.pragma('main.wal_checkpoint(PASSIVE)');
    });
    if (this.#excessPages() < excess) this.deleted();
  }

  #excessPages(): number {
    const pragma = (name: string) => this.#db.pragma(`main.${name}`, { simple: true }) as number;
    const pages = pragma('page_count');
    const kept = Math.max(keptBytes / pragma('page_size'), pages * keptShare);
    return Math.max(0, Math.floor(pragma('freelist_count') - kept));
  }
}
