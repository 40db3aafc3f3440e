import { describe, expect, it } from 'vitest';
import { CheckpointPace } from '../../server/store/sqlite/checkpoint-pace.ts';

const mib = 1024 * 1024;

describe('CheckpointPace', () => {
  it('copies the WAL back once a second while captures arrive, not at every step', () => {
    const pace = new CheckpointPace(0);
    expect(pace.due(200, 2 * mib)).toBe(false);
    expect(pace.due(999, 7 * mib)).toBe(false);
    expect(pace.due(1000, 7 * mib)).toBe(true);
    pace.copied(1000, 7 * mib);
    expect(pace.due(1500, 9 * mib)).toBe(false);
    expect(pace.due(2000, 9 * mib)).toBe(true);
  });

  it('copies sooner when requests arrive fast, in steps of 8 MiB', () => {
    const pace = new CheckpointPace(0);
    expect(pace.due(100, 8 * mib - 1)).toBe(false);
    expect(pace.due(100, 8 * mib)).toBe(true);
    pace.copied(100, 8 * mib);
    expect(pace.due(200, 15 * mib)).toBe(false);
    expect(pace.due(200, 16 * mib)).toBe(true);
  });
});
