import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileIdentity } from '../../../server/store/sqlite/file-identity.ts';

function digest(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('a second connection opened only to the file the store opened', () => {
  let dir: string;
  let path: string;
  let store: Database.Database;
  let identity: FileIdentity;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'authbin-reopen-'));
    path = join(dir, 'authbin.db');
    store = new Database(path);
    store.pragma('journal_mode = WAL');
    // Everything stays in the WAL, as between two of the upkeep thread's copies.
    store.pragma('wal_autocheckpoint = 0');
    store.exec('CREATE TABLE bins (name TEXT)');
    for (let i = 0; i < 20; i++) store.prepare('INSERT INTO bins VALUES (?)').run(`bin ${i}`);
    identity = new FileIdentity(path, () => undefined);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A backup put back the usual way: copied beside the file, then moved over its path. */
  const replace = (): string => {
    copyFileSync(path, join(dir, 'restored.db'));
    const restored = digest(join(dir, 'restored.db'));
    renameSync(join(dir, 'restored.db'), path);
    return restored;
  };

  it('opens the file still at the path, again after a connection to it was closed', () => {
    for (let round = 0; round < 2; round++) {
      // The second round gets the descriptor the first one left (SQLite keeps it while the store holds its lock).
      const upkeep = identity.openUnlessLost(() => new Database(path, { fileMustExist: true }));
      expect(upkeep).toBeDefined();
      expect(upkeep!.prepare('SELECT count(*) FROM bins').pluck().get()).toBe(20);
      upkeep!.close();
    }
    expect(store.prepare('SELECT count(*) FROM bins').pluck().get()).toBe(20);
  });

  it('closes unread a file put at the path between the look and the open, leaving it and the store as they were', () => {
    let restored = '';
    const upkeep = identity.openUnlessLost(() => {
      restored = replace();
      return new Database(path, { fileMustExist: true });
    });
    expect(upkeep).toBeUndefined();
    expect(store.prepare('SELECT count(*) FROM bins').pluck().get()).toBe(20);
    expect(digest(path)).toBe(restored);
    // The WAL at the path is still the store's: nothing copied it into the file put there, nothing deleted it.
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(identity.lost).toBe(true);
  });

  it('a connection to the file put there that reads spoils both (what the look after opening prevents)', () => {
    const restored = replace();
    const plain = new Database(path, { fileMustExist: true });
    plain.prepare('SELECT count(*) FROM sqlite_master').get();
    plain.close();
    expect(() => store.prepare('SELECT count(*) FROM bins').get()).toThrow(/no such table: bins/);
    expect(digest(path)).not.toBe(restored);
  });
});
