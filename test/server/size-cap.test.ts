import { describe, expect, it } from 'vitest';
import { SizeCap } from '../../server/store/size-cap.ts';

describe('the size cap', () => {
  it('is the configured cap until the disk fills first, then 90% of the data held, and never rises again', () => {
    const cap = new SizeCap(1000);
    expect(cap.exceeded(1000)).toBe(false);
    expect(cap.exceeded(1001)).toBe(true);
    cap.diskFull(600);
    expect(cap.bytes).toBe(540);
    cap.diskFull(900);
    expect(cap.bytes).toBe(540);
    expect(cap.exceeded(541)).toBe(true);
  });

  it('stays off when there is none: the operator keeps everything', () => {
    const cap = new SizeCap(null);
    cap.diskFull(600);
    expect(cap.bytes).toBeNull();
    expect(cap.exceeded(Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});
