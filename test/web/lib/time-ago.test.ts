import { describe, expect, it } from 'vitest';
import { formatTimestamp, relativeTime, timeAgo } from '../../../web/lib/time-ago.ts';

const now = Date.parse('2024-05-01T12:00:00Z');

describe('timeAgo', () => {
  it('says seconds, minutes, hours and days as a person would read them', () => {
    expect(timeAgo(now - 3_000, now)).toBe('3 s ago');
    expect(timeAgo(now - 59_999, now)).toBe('59 s ago');
    expect(timeAgo(now - 60_000, now)).toBe('1 min ago');
    expect(timeAgo(now - 2 * 3_600_000, now)).toBe('2 h ago');
    expect(timeAgo(now - 4 * 86_400_000, now)).toBe('4 d ago');
  });

  it('says "now" for the last second and for times slightly in the future (clock skew)', () => {
    expect(timeAgo(now - 400, now)).toBe('now');
    expect(timeAgo(now + 5_000, now)).toBe('now');
  });

  it('gives the date once it is more than a month old', () => {
    expect(timeAgo('2024-01-02T00:00:00Z', now)).toBe('2024-01-02');
  });

  it('accepts ISO strings as the API sends them', () => {
    expect(timeAgo('2024-05-01T11:59:50.000Z', now)).toBe('10 s ago');
  });
});

describe('relativeTime', () => {
  it('speaks of the future as "in …" and the past as "… ago"', () => {
    expect(relativeTime(now + 2 * 3_600_000, now)).toBe('in 2 h');
    expect(relativeTime(now - 3 * 86_400_000, now)).toBe('3 d ago');
    expect(relativeTime(now - 3237 * 86_400_000, now)).toBe('8 y ago');
    expect(relativeTime(now + 40 * 86_400_000, now)).toBe('in 1 mo');
    expect(relativeTime(now + 90_000, now)).toBe('in 1 min');
  });
});

describe('formatTimestamp', () => {
  it('shows local date and time down to the millisecond', () => {
    const local = new Date(2024, 4, 1, 9, 3, 7, 45);
    expect(formatTimestamp(local)).toBe('2024-05-01 09:03:07.045');
  });

  it('is empty for something that is not a time', () => {
    expect(formatTimestamp('not a date')).toBe('');
  });
});
