import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIfStillOpened, type FileId } from '../../../server/store/sqlite/file-identity.ts';

function digest(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('a second connection opened only to the file the store opened', () => {
  let dir: string;
  let path: string;
  let store: Database.Database;
  let opened: FileId;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'authbin-reopen-'));
    path = join(dir, 'authbin.db');
    store = new Database(path);
    store.pragma('journal_mode = WAL');
    // Everything stays in the WAL, as between two of the upkeep thread's copies.
    store.pragma('wal_autocheckpoint = 0');
    store.exec('CREATE TABLE bins (name TEXT)');
    for (let i = 0; i < 20; i++) store.prepare('INSERT INTO bins VALUES (?)').run(`bin ${i}`);
    const { dev, ino } = statSync(path);
    opened = { dev, ino };
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens the file still at the path, and reads what the store wrote', () => {
    const upkeep = openIfStillOpened(opened, () => new Database(path, { fileMustExist: true }));
    expect(upkeep).toBeDefined();
    expect(upkeep!.prepare('SELECT count(*) FROM bins').pluck().get()).toBe(20);
    upkeep!.close();
    expect(store.prepare('SELECT count(*) FROM bins').pluck().get()).toBe(20);
  });

  it('refuses a file put at the path since, leaves it as it was, and keeps the store reading its own', () => {
    copyFileSync(path, join(dir, 'restored.db'));
    const restored = digest(join(dir, 'restored.db'));
    renameSync(join(dir, 'restored.db'), path);

    expect(openIfStillOpened(opened, () => new Database(path, { fileMustExist: true }))).toBeUndefined();
    expect(store.prepare('SELECT count(*) FROM bins').pluck().get()).toBe(20);
    expect(digest(path)).toBe(restored);
    // The WAL at the path is still the store's: nothing copied it into the file put there, nothing deleted it.
    expect(existsSync(`${path}-wal`)).toBe(true);
  });

  it('a plain open of the file put there would have spoiled both (what the check prevents)', () => {
    copyFileSync(path, join(dir, 'restored.db'));
    const restored = digest(join(dir, 'restored.db'));
    renameSync(join(dir, 'restored.db'), path);

    const plain = new Database(path, { fileMustExist: true });
    plain.prepare('SELECT count(*) FROM sqlite_master').get();
    plain.close();
    expect(() => store.prepare('SELECT count(*) FROM bins').get()).toThrow(/no such table: bins/);
    expect(digest(path)).not.toBe(restored);
  });
});
