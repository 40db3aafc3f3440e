import { describe, expect, it } from 'vitest';
import { StorageFailures } from '../../../server/capture/storage-failures.ts';

function diskFull(): Error {
  return Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
}

describe('storage failures in the log', () => {
  it('logs a failure once per reason, then once when storing works again, then anew', () => {
    const lines: string[] = [];
    const failures = new StorageFailures((line) => lines.push(line));
    for (let i = 0; i < 1_000; i++) failures.failed('flood', diskFull());
    failures.failed('flood', Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' }));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('bin flood: database or disk is full');
    expect(lines[1]).toContain('readonly database');

    failures.stored();
    failures.stored();
    expect(lines.slice(2)).toEqual(['authbin: requests are stored again']);
    failures.failed('flood', diskFull());
    expect(lines).toHaveLength(4);
  });

  it('remembers a bounded number of reasons when every message differs', () => {
    const lines: string[] = [];
    const failures = new StorageFailures((line) => lines.push(line));
    for (let i = 0; i < 500; i++) failures.failed('b', new Error(`failure ${i}`));
    expect(lines).toHaveLength(20);
  });
});
