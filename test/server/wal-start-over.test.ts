import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { walCeilingBytes } from '../../server/store/sqlite/checkpoint-pace.ts';
import { SqliteStore } from '../../server/store/sqlite/sqlite-store.ts';
import { captured } from '../helpers/captured.ts';

const maxDbBytes = 64 * 1024 * 1024;
const options = { maxRequestsPerBin: 100_000, retentionDays: 7, maxDbBytes };
const body = Buffer.alloc(1024, 'authbin ');
const rounds = 400;
const perRound = 25;

describe('the database’s WAL under a stream of captures', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'authbin-wal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts over before its ceiling, so that capture’s own connection never has to copy it back', async () => {
    const path = join(dir, 'stream.db');
    const ceiling = walCeilingBytes(maxDbBytes);
    const store = new SqliteStore(path, options);
    let largest = 0;
    let written = 0;
    try {
      // Once the upkeep thread runs (started from the TypeScript sources, it takes a while to load them).
      const first = await store.capture(captured('stream'));
      await store.whenIndexedThrough(first.id);
      // Batches of captures a few milliseconds apart, as a load of many senders commits them: the
      // WAL takes some 20 times its ceiling in all. SQLite never shrinks the file, so its size is
      // the most the WAL ever held; capture's connection copies it back only once it reaches the ceiling.
      for (let round = 0; round < rounds; round++) {
        await Promise.all(Array.from({ length: perRound }, () => store.capture(captured('stream', { body, bodySize: body.length }))));
        written += perRound * body.length;
        largest = Math.max(largest, statSync(`${path}-wal`).size);
        await sleep(10);
      }
    } finally {
      await store.close();
    }
    expect(written).toBeGreaterThan(2 * ceiling);
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThan(ceiling);
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM requests').pluck().get()).toBe(rounds * perRound + 1);
    } finally {
      db.close();
    }
  });
});
