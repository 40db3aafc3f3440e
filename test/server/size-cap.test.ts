import { describe, expect, it } from 'vitest';
import { SizeCap } from '../../server/store/size-cap.ts';

describe('the size cap', () => {
  it('is the configured cap until the disk fills first, then 90% of the data held; later fills evict a tenth once, the cap stays', () => {
    const cap = new SizeCap(1000);
    expect(cap.exceeded(1000)).toBe(false);
    expect(cap.exceeded(1001)).toBe(true);
    expect(cap.diskFull(600)).toBe(540);
    expect(cap.bytes).toBe(540);
    expect(cap.exceeded(541)).toBe(true);
    expect(cap.diskFull(500)).toBe(450);
    expect(cap.bytes).toBe(540);
  });

  it('is not raised by a fill with more data than the configured cap', () => {
    const cap = new SizeCap(1000);
    cap.diskFull(5000);
    expect(cap.bytes).toBe(1000);
  });

  it('stays off when there is none: the operator keeps everything', () => {
    const cap = new SizeCap(null);
    expect(cap.diskFull(600)).toBeNull();
    expect(cap.bytes).toBeNull();
    expect(cap.exceeded(Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});
