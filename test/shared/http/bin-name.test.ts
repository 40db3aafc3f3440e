import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBinName } from '../../../shared/http/bin-name.ts';

const allowed = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';

describe('isBinName', () => {
  it('takes 1 to 64 letters, digits, "_" and "-"', () => {
    expect(['a', 'zendesk-prod', 'A_1', 'x'.repeat(64)].map(isBinName)).toEqual([true, true, true, true]);
    expect(['', 'x'.repeat(65), 'my bin', 'a/b', 'é', 'a.b', '%41', 'a\n'].map(isBinName)).toEqual([false, false, false, false, false, false, false, false]);
  });

  it('takes a name exactly when every character is allowed and there are 1 to 64', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom(...allowed), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 70 }), (name) => {
        expect(isBinName(name)).toBe(name.length >= 1 && name.length <= 64 && [...name].every((char) => allowed.includes(char)));
      }),
    );
  });
});
