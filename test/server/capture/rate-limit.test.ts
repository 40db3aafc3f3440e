import { describe, expect, it } from 'vitest';
import { RateLimit } from '../../../server/capture/rate-limit.ts';
import { isLoopbackAddress, sourceKey } from '../../../server/capture/source-address.ts';

describe('a rate limit per source', () => {
  it('lets a burst through, then one request per 1/rate seconds, and says how long to wait', () => {
    let now = 0;
    const limit = new RateLimit({ rate: 2, burst: 3, now: () => now });
    expect([1, 2, 3].map(() => limit.take('a'))).toEqual([0, 0, 0]);
    expect(limit.take('a')).toBe(1);
    expect(limit.take('b')).toBe(0);
    now += 500;
    expect(limit.take('a')).toBe(0);
    expect(limit.take('a')).toBe(1);
  });

  it('rounds the wait up to whole seconds', () => {
    let now = 0;
    const limit = new RateLimit({ rate: 0.25, burst: 1, now: () => now });
    expect(limit.take('a')).toBe(0);
    expect(limit.take('a')).toBe(4);
    now += 1500;
    expect(limit.take('a')).toBe(3);
  });

  it('tracks a bounded number of sources, and forgets those whose bucket is full again', () => {
    let now = 0;
    const limit = new RateLimit({ rate: 10, burst: 10, maxSources: 100, now: () => now });
    for (let i = 0; i < 10_000; i++) limit.take(`source-${i}`);
    expect(limit.size).toBeLessThanOrEqual(100);
    // A second later every bucket could be full again: kept one generation more, then gone.
    now += 1000;
    limit.take('later');
    expect(limit.size).toBeLessThanOrEqual(51);
    now += 1000;
    limit.take('later');
    expect(limit.size).toBe(1);
  });

  it('keeps a busy source’s bucket across generations', () => {
    let now = 0;
    const limit = new RateLimit({ rate: 1, burst: 2, maxSources: 100, now: () => now });
    expect([limit.take('busy'), limit.take('busy'), limit.take('busy')]).toEqual([0, 0, 1]);
    for (let i = 0; i < 3; i++) {
      now += 1000;
      expect([limit.take('busy'), limit.take('busy')]).toEqual([0, 1]);
    }
  });
});

describe('the source a rate limit counts by', () => {
  it('is the IPv4 address, the same however it is written, and the /64 of an IPv6 one', () => {
    expect(sourceKey('203.0.113.7')).toBe('203.0.113.7');
    expect(sourceKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(sourceKey('2001:db8:1:2::1')).toBe(sourceKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(sourceKey('[2001:DB8:1:2::1]')).toBe(sourceKey('2001:db8:1:2::1'));
    expect(sourceKey('2001:db8:1:3::1')).not.toBe(sourceKey('2001:db8:1:2::1'));
  });

  it('tells loopback addresses', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(address)).toBe(true);
    for (const address of ['10.0.0.1', '203.0.113.7', '::2', '2001:db8::1', 'not an address']) expect(isLoopbackAddress(address)).toBe(false);
  });
});
