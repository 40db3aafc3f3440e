import { fstatSync, readdirSync, statSync } from 'node:fs';

/** A file as the filesystem knows it, whatever its name. */
export interface FileId {
  dev: number;
  ino: number;
}

/**
 * Whether the database's path still names the file authbin opened. SQLite keeps writing to the
 * file it has open: deleted (`rm`), or replaced (a backup restored with `mv` or `cp` to a new
 * file), that file is out of reach, and every capture acknowledged from then on would be lost at
 * the next start, or written beside a database another process now owns. So before a write, the
 * device and inode behind the path are compared with those opened; once they differ, authbin says
 * so once and refuses writes (captures get `503`) until it is restarted and opens what is there now.
 * A look is one `stat` (a few microseconds, next to a commit's tens), made before each write
 * transaction (a batch of captures, a deletion), so nothing is acknowledged into a file gone but
 * what was committed before it went.
 */
export class FileIdentity {
  readonly #path: string;
  readonly #dev: number;
  readonly #ino: number;
  #lost: Error | undefined;
  readonly #onLost: (error: Error) => void;

  /**
   * The identity of the file at `path` now (call it right after opening the database), or the one
   * `opened` names: the upkeep thread checks against the file the store opened, not what is there when it starts.
   */
  constructor(path: string, onLost: (error: Error) => void, opened: FileId = statSync(path)) {
    this.#path = path;
    this.#dev = opened.dev;
    this.#ino = opened.ino;
    this.#onLost = onLost;
  }

  /** The device and inode of the file opened. */
  get opened(): FileId {
    return { dev: this.#dev, ino: this.#ino };
  }

  /** Whether the file was found gone or replaced. */
  get lost(): boolean {
    return this.#lost !== undefined;
  }

  /** Throws when the path no longer names the file opened. */
  check(): void {
    if (this.#lost) throw this.#lost;
    const current = statSync(this.#path, { throwIfNoEntry: false });
    if (current && current.dev === this.#dev && current.ino === this.#ino) return;
    this.#lost = new Error(
      `the database file ${this.#path} was ${current ? 'replaced by another file' : 'deleted'} while authbin had it open; ` +
        'nothing more is written to it, and captures get 503 until authbin is restarted (it then opens the file at that path)',
    );
    this.#onLost(this.#lost);
    throw this.#lost;
  }
}

/** Where Linux lists the process's open descriptors; elsewhere the look before opening is all there is. */
const descriptorsDir = '/proc/self/fd';

/** How many of the process's descriptors are open on `file`, or undefined where that cannot be listed. */
function descriptorsOn(file: FileId): number | undefined {
  let descriptors: string[];
  try {
    descriptors = readdirSync(descriptorsDir);
  } catch {
    return undefined;
  }
  let count = 0;
  for (const descriptor of descriptors) {
    try {
      const open = fstatSync(Number(descriptor));
      if (open.dev === file.dev && open.ino === file.ino) count++;
    } catch {
      // Closed meanwhile (the listing's own descriptor, or another thread's): not on the file.
    }
  }
  return count;
}

/**
 * Opens a second connection to the database only if what it opened is the file `opened` names:
 * otherwise closes it before it reads a page, and returns undefined. A look at the path before
 * opening can be overtaken (a thread at background priority may wait long between the two): a
 * connection to the file put there since would read it with the WAL of the one gone, and on closing,
 * as that file's last connection, copy the WAL into it and delete it, spoiling the file put there
 * and every read on the store's own connection. So the open must have added a descriptor on the
 * file opened (counted, since the number of one closed meanwhile is given again).
 */
export function openIfStillOpened<T extends { close(): void }>(opened: FileId, open: () => T): T | undefined {
  const before = descriptorsOn(opened);
  const connection = open();
  if (before === undefined || (descriptorsOn(opened) ?? 0) > before) return connection;
  connection.close();
  return undefined;
}
