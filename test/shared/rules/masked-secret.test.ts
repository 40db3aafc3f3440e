import { describe, expect, it } from 'vitest';
import { isMaskedSecret, maskSecret } from '../../../shared/rules/masked-secret.ts';

describe('maskSecret', () => {
  it('shows the last 4 characters and the length, and none of a short secret', () => {
    expect(maskSecret('abcdefghij1234')).toBe('••••••••1234 (14 characters)');
    expect(maskSecret('12345678')).toBe('•••••••• (8 characters)');
    expect(maskSecret('x')).toBe('•••••••• (1 character)');
    expect(maskSecret('ab😀cdefghijk')).toBe('••••••••hijk (12 characters)');
  });

  it('knows its own masks, and nothing else', () => {
    for (const secret of ['abcdefghij1234', '12345678', 'x', 'ab😀cdefghijk', '']) expect(isMaskedSecret(maskSecret(secret))).toBe(true);
    for (const text of ['abcd1234', '••••••••1234', '•••••••1234 (14 characters)', `${maskSecret('abcdefghij1234')}x`]) expect(isMaskedSecret(text)).toBe(false);
  });
});
