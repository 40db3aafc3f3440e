import { statSync } from 'node:fs';

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

  /**
   * Opens another connection to the file opened, or returns undefined once the path names another
   * file or none. The look before opening can be overtaken (a thread at background priority may
   * wait long between the two), so the path is looked at again before anything is read: a
   * connection to a file put there meanwhile, once it had read, would on closing (that file's last
   * connection) copy the WAL of the file gone into it and delete it, spoiling the file put there and
   * every read on the store's own connection; closed unread, it touches nothing. (Not a descriptor
   * count: SQLite hands a connection the descriptor a closed one left on the same file.)
   */
  openUnlessLost<T extends { close(): void }>(open: () => T): T | undefined {
    if (this.looksLost()) return undefined;
    const connection = open();
    if (!this.looksLost()) return connection;
    connection.close();
    return undefined;
  }

  /** Looks at the path now: whether it no longer names the file opened (said once, through onLost). */
  looksLost(): boolean {
    try {
      this.check();
      return false;
    } catch {
      return true;
    }
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
