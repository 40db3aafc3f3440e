import { describe, expect, it } from 'vitest';
import { hexDump } from '../../../web/lib/hex-dump.ts';

describe('hexDump', () => {
  it('shows offset, 16 hex bytes in two groups and printable ASCII', () => {
    const bytes = new TextEncoder().encode('Hello, authbin!\n\0\x7f');
    const lines = hexDump(bytes);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({
      offset: '00000000',
      hex: '48 65 6c 6c 6f 2c 20 61  75 74 68 62 69 6e 21 0a',
      ascii: 'Hello, authbin!.',
    });
    expect(lines[1]).toEqual({ offset: '00000010', hex: '00 7f', ascii: '..' });
  });

  it('stops at the limit so a large body stays cheap', () => {
    const lines = hexDump(new Uint8Array(100_000), 64);
    expect(lines).toHaveLength(4);
    expect(lines[3]?.offset).toBe('00000030');
  });

  it('gives nothing for no bytes', () => {
    expect(hexDump(new Uint8Array())).toEqual([]);
  });
});
