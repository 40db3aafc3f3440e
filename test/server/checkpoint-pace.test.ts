import { describe, expect, it } from 'vitest';
import { CheckpointPace, copyIntervalsMs, walCeilingBytes } from '../../server/store/sqlite/checkpoint-pace.ts';

const mib = 1024 * 1024;

describe('walCeilingBytes', () => {
  it('is a sixteenth of the size cap, between 4 and 16 MiB, and 16 MiB with no cap', () => {
    expect(walCeilingBytes(null)).toBe(16 * mib);
    expect(walCeilingBytes(undefined)).toBe(16 * mib);
    expect(walCeilingBytes(64 * mib)).toBe(4 * mib);
    expect(walCeilingBytes(128 * mib)).toBe(8 * mib);
    expect(walCeilingBytes(64 * 1024 * mib)).toBe(16 * mib);
  });
});

describe('CheckpointPace', () => {
  it('copies the search file’s WAL back once a second while captures arrive, not at every step', () => {
    const pace = new CheckpointPace(0, 16 * mib, copyIntervalsMs.search);
    expect(pace.due(200, 2 * mib)).toBe(false);
    expect(pace.due(999, 7 * mib)).toBe(false);
    expect(pace.due(1000, 7 * mib)).toBe(true);
    pace.copied(1000, 7 * mib);
    expect(pace.due(1500, 9 * mib)).toBe(false);
    expect(pace.due(2000, 9 * mib)).toBe(true);
  });

  it('copies the database’s WAL back ten times a second', () => {
    const pace = new CheckpointPace(0, 16 * mib, copyIntervalsMs.database);
    expect(pace.due(99, 1 * mib)).toBe(false);
    expect(pace.due(100, 1 * mib)).toBe(true);
    pace.copied(100, 1 * mib);
    expect(pace.due(150, 2 * mib)).toBe(false);
  });

  it('copies sooner when requests arrive fast, in steps of half the ceiling', () => {
    const pace = new CheckpointPace(0, 16 * mib, copyIntervalsMs.search);
    expect(pace.due(100, 8 * mib - 1)).toBe(false);
    expect(pace.due(100, 8 * mib)).toBe(true);
    pace.copied(100, 8 * mib);
    expect(pace.due(200, 15 * mib)).toBe(false);
    expect(pace.due(200, 16 * mib)).toBe(true);
    const small = new CheckpointPace(0, 4 * mib, copyIntervalsMs.search);
    expect(small.due(100, 2 * mib)).toBe(true);
  });
});

describe('CheckpointPace on a small disk', () => {
  it('copies WALs of a 4 MiB ceiling back four times as often', () => {
    const search = new CheckpointPace(0, 4 * mib, copyIntervalsMs.search);
    expect(search.due(249, 0)).toBe(false);
    expect(search.due(250, 0)).toBe(true);
    const database = new CheckpointPace(0, 4 * mib, copyIntervalsMs.database);
    expect(database.due(24, 0)).toBe(false);
    expect(database.due(25, 0)).toBe(true);
  });
});
