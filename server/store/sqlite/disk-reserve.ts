import { closeSync, existsSync, openSync, rmSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const chunk = Buffer.alloc(64 * 1024);

/**
 * Room kept on the database's disk for the day it is full: a file of zeros beside the database.
 * A deletion that cannot write its WAL (SQLite needs room to free room) gives it up and runs
 * again; the file is made again once the disk has room for it twice over, so that captures are
 * not starved of the room the deletion freed.
 */
export class DiskReserve {
  readonly #path: string;
  readonly #bytes: number;
  #held: boolean;

  constructor(path: string, bytes: number) {
    this.#path = path;
    this.#bytes = bytes;
    this.#held = existsSync(path);
  }

  /** Makes the file when it is missing and the disk has the room; false when it is missing still. */
  restore(): boolean {
    if (this.#held) return true;
    if (this.#freeBytes() < 2 * this.#bytes) return false;
    try {
      const fd = openSync(this.#path, 'w', 0o600);
      try {
        // Written, not truncated to size: a sparse file would hold no room at all.
        for (let written = 0; written < this.#bytes; written += chunk.byteLength) writeSync(fd, chunk, 0, Math.min(chunk.byteLength, this.#bytes - written));
      } finally {
        closeSync(fd);
      }
      this.#held = true;
      return true;
    } catch {
      // The disk filled meanwhile: a partial file would only take room from captures.
      rmSync(this.#path, { force: true });
      return false;
    }
  }

  /** Gives the room back to the disk; false when there was none left to give. */
  release(): boolean {
    this.#held = false;
    try {
      unlinkSync(this.#path);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Whether captures may take more of the disk: yes while the reserve is held (or can be made
   * again); once it was given up, only while the disk keeps half as much free, so that the next
   * deletion still finds room. Half: the WAL that captures grow into is part of the room a full
   * reserve would leave them.
   */
  allowsGrowth(): boolean {
    return this.restore() || this.#freeBytes() >= this.#bytes / 2;
  }

  #freeBytes(): number {
    const { bavail, bsize } = statfsSync(dirname(this.#path));
    return bavail * bsize;
  }
}

/** SQLite's "database or disk is full". */
export function isDiskFull(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_FULL';
}

/** A capture refused before SQLite ran out of room: the reserve is given up and the disk keeps too little free. */
export class DiskNearlyFull extends Error {
  constructor() {
    super('the disk is nearly full: captures resume once deletions, retention or the size cap free room');
  }
}
