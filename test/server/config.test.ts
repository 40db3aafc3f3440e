import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, defaultMaxDbBytes, loadConfig } from '../../server/config.ts';

const mib = 1024 * 1024;
const load = (argv: string[], env: Record<string, string> = {}) => loadConfig(argv, env, { webRoot: '/nowhere' });

describe('the size cap on stored data', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'authbin-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const freeBytes = () => {
    const { bavail, bsize } = statfsSync(dir);
    return bavail * bsize;
  };

  it('defaults, for SQLite, to half the free space on the database’s filesystem, even before its folder exists', () => {
    // Free space moves while other work writes to the disk: within what statfs says just before and just after.
    const freeBefore = freeBytes();
    const config = load(['--db', join(dir, 'not-yet', 'authbin.db')]);
    const freeAfter = freeBytes();
    expect(config.maxDbBytes).toBeGreaterThanOrEqual(defaultMaxDbBytes(Math.min(freeBefore, freeAfter)));
    expect(config.maxDbBytes).toBeLessThanOrEqual(defaultMaxDbBytes(Math.max(freeBefore, freeAfter)));
    expect(config.maxDbBytes).toBeGreaterThanOrEqual(64 * mib);
  });

  it('counts what the database already takes as room, so the default does not shrink as it grows', () => {
    const db = join(dir, 'authbin.db');
    writeFileSync(db, Buffer.alloc(64 * mib));
    writeFileSync(`${db}-search`, Buffer.alloc(16 * mib));
    // Other work (a test suite beside this one) can take tens of MiB of the disk between two looks, so
    // the cap is held against the free space seen just before and just after it was sized: counting
    // these 80 MiB as room puts it within those bounds; forgetting them would put it 40 MiB below.
    const freeBefore = freeBytes();
    const cap = load(['--db', db]).maxDbBytes!;
    const freeAfter = freeBytes();
    expect(cap).toBeGreaterThanOrEqual(defaultMaxDbBytes(Math.min(freeBefore, freeAfter) + 80 * mib));
    expect(cap).toBeLessThanOrEqual(defaultMaxDbBytes(Math.max(freeBefore, freeAfter) + 80 * mib));
  });

  it('keeps the default between 64 MiB and 64 GiB', () => {
    expect(defaultMaxDbBytes(10 * mib)).toBe(64 * mib);
    expect(defaultMaxDbBytes(10 * 1024 * mib)).toBe(5 * 1024 * mib);
    expect(defaultMaxDbBytes(1024 * 1024 * mib)).toBe(64 * 1024 * mib);
  });

  it('takes a cap given, and turns it off when told 0, none or off', () => {
    expect(load(['--max-db-bytes', String(100 * mib)]).maxDbBytes).toBe(100 * mib);
    expect(load([], { AUTHBIN_MAX_DB_BYTES: String(200 * mib) }).maxDbBytes).toBe(200 * mib);
    for (const off of ['0', 'none', 'off', 'OFF']) expect(load(['--max-db-bytes', off]).maxDbBytes).toBeNull();
    expect(load([], { AUTHBIN_MAX_DB_BYTES: 'none' }).maxDbBytes).toBeNull();
    expect(() => load(['--max-db-bytes', '1000'])).toThrow(ConfigError);
  });

  it('has no default for PostgreSQL, whose disk it cannot see', () => {
    expect(load([], { AUTHBIN_DB: 'postgres://authbin@127.0.0.1:5432/authbin' }).maxDbBytes).toBeNull();
  });
});

describe('limits on anonymous senders', () => {
  it('defaults to 1,000 bins made by captures, and 20 captures a second in bursts of 100 per address, loopback exempt', () => {
    expect(load([])).toMatchObject({ maxBins: 1000, captureRate: 20, captureBurst: 100, rateLimitLoopback: false });
  });

  it('reads flags over environment variables', () => {
    const env = { AUTHBIN_MAX_BINS: '5', AUTHBIN_CAPTURE_RATE: '7', AUTHBIN_CAPTURE_BURST: '9', AUTHBIN_RATE_LIMIT_LOOPBACK: '1' };
    expect(load([], env)).toMatchObject({ maxBins: 5, captureRate: 7, captureBurst: 9, rateLimitLoopback: true });
    expect(load(['--max-bins', '0', '--capture-rate', '0', '--capture-burst', '1'], env)).toMatchObject({ maxBins: 0, captureRate: 0, captureBurst: 1 });
    expect(() => load(['--capture-burst', '0'])).toThrow(/capture burst/);
    expect(() => load(['--max-bins', '-1'])).toThrow(ConfigError);
  });
});

describe('durability', () => {
  it('is normal unless told full, by flag (which wins) or AUTHBIN_DURABILITY', () => {
    expect(load([]).durability).toBe('normal');
    expect(load([], { AUTHBIN_DURABILITY: 'full' }).durability).toBe('full');
    expect(load(['--durability', 'normal'], { AUTHBIN_DURABILITY: 'full' }).durability).toBe('normal');
    expect(load(['--durability', 'FULL']).durability).toBe('full');
  });

  it('refuses anything else with one clear line', () => {
    expect(() => load(['--durability', 'extra'])).toThrow(new ConfigError('invalid durability "extra": expected normal or full'));
  });
});

describe('AUTHBIN_SECRET_KEY', () => {
  it('is taken at 32 characters or more, and refused shorter', () => {
    expect(load([], { AUTHBIN_SECRET_KEY: 'k'.repeat(32) }).secretKey).toBe('k'.repeat(32));
    expect(load([]).secretKey).toBeNull();
    expect(() => load([], { AUTHBIN_SECRET_KEY: 'short' })).toThrow(/AUTHBIN_SECRET_KEY must be at least 32 characters/);
  });
});
