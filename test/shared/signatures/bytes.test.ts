/** The hex and base64 readers agree with Node's Buffer, and refuse what a sender wouldn't write. */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { fromBase64, fromHex, fromLooseBase64, timingSafeEqual, toBase64, toHex } from '../../../shared/signatures/bytes.ts';
import { describeDuration, parseTimestamp } from '../../../shared/signatures/timestamps.ts';

test('toHex/toBase64 write what Buffer writes, and the readers read it back', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const buffer = Buffer.from(bytes);
      expect(toHex(bytes)).toBe(buffer.toString('hex'));
      expect(toBase64(bytes)).toBe(buffer.toString('base64'));
      expect(fromHex(buffer.toString('hex'))).toEqual(bytes);
      expect(fromHex(buffer.toString('hex').toUpperCase())).toEqual(bytes);
      expect(fromBase64(buffer.toString('base64'))).toEqual(bytes);
      expect(fromLooseBase64(buffer.toString('base64url'))).toEqual(bytes);
    }),
  );
});

test('toBase64 handles bodies larger than one chunk', () => {
  const bytes = Uint8Array.from({ length: 100_001 }, (_, i) => (i * 7) % 256);
  expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
});

test('whatever the readers accept decodes as Buffer decodes it', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFxyz+/=-_ '), maxLength: 24 }), (text) => {
      const hex = fromHex(text);
      if (hex) expect(Buffer.from(hex).equals(Buffer.from(text, 'hex'))).toBe(true);
      const base64 = fromBase64(text);
      if (base64) {
        expect(Buffer.from(base64).equals(Buffer.from(text, 'base64'))).toBe(true);
        expect(text.length % 4).toBe(0);
      }
    }),
    { numRuns: 500 },
  );
});

test.each([
  ['odd-length hex', () => fromHex('abc')],
  ['hex with a non-hex letter', () => fromHex('zz')],
  ['unpadded base64', () => fromBase64('QUJD RA')],
  ['base64 without its padding', () => fromBase64('QUJDRA')],
  ['base64url', () => fromBase64('-_-_')],
  ['padding in the middle', () => fromBase64('QQ==QUJD')],
])('refuses %s', (_name, read) => {
  expect(read()).toBeNull();
});

test('timingSafeEqual is equality of bytes, lengths included', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
      expect(timingSafeEqual(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
      expect(timingSafeEqual(a, Uint8Array.from(a))).toBe(true);
    }),
  );
  // A shorter array that is a prefix of the longer one must not compare equal (missing bytes read as 0).
  expect(timingSafeEqual(Uint8Array.of(1, 0), Uint8Array.of(1))).toBe(false);
});

test('timestamps: unix seconds and ISO-8601, nothing looser', () => {
  expect(parseTimestamp('1614265330', 'unix')).toBe(1614265330_000);
  expect(parseTimestamp('2021-03-25T05:09:27Z', 'iso')).toBe(Date.UTC(2021, 2, 25, 5, 9, 27));
  expect(parseTimestamp('2021-03-25T07:09:27+02:00', 'iso')).toBe(Date.UTC(2021, 2, 25, 5, 9, 27));
  expect(parseTimestamp('1614265330.5', 'unix')).toBeUndefined();
  expect(parseTimestamp('Thu, 25 Mar 2021 05:09:27 GMT', 'iso')).toBeUndefined();
  expect(parseTimestamp('2021-02-30T00:00:00Z', 'iso')).toBeUndefined();
});

test.each([
  [0, '0 seconds'],
  [1, '1 second'],
  [299, '4 minutes 59 seconds'],
  [3_725, '1 hour 2 minutes'],
  [3_600 + 5, '1 hour'],
  [-90_000, '1 day 1 hour'],
])('describeDuration(%i) is "%s"', (seconds, text) => {
  expect(describeDuration(seconds)).toBe(text);
});

test('ISO-8601 timestamps read as Date reads them, whatever the offset', () => {
  fc.assert(
    fc.property(
      fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
      fc.integer({ min: -14 * 60, max: 14 * 60 }),
      (date, offsetMinutes) => {
        const whole = new Date(Math.floor(date.getTime() / 1000) * 1000);
        const shifted = new Date(whole.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
        const sign = offsetMinutes < 0 ? '-' : '+';
        const abs = Math.abs(offsetMinutes);
        const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        expect(parseTimestamp(`${shifted}${offset}`, 'iso')).toBe(whole.getTime());
        expect(parseTimestamp(`${whole.toISOString().slice(0, 19)}Z`, 'iso')).toBe(whole.getTime());
      },
    ),
  );
});
