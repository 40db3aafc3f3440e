import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base64ToBytes } from '../../../web/lib/base64.ts';
import { formatBytes } from '../../../web/lib/format-bytes.ts';
import { maskSecret } from '../../../web/lib/mask.ts';
import { visibleText } from '../../../shared/compare/visible.ts';

describe('maskSecret', () => {
  it('shows only the last four characters of a long secret', () => {
    expect(maskSecret('6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv')).toBe('••••••••2akv');
  });

  it('never shows more than a quarter of the secret', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), (secret) => {
        const masked = maskSecret(secret);
        const shown = Array.from(masked.replace(/^•{8}/, '')).length;
        expect(masked.startsWith('••••••••')).toBe(true);
        expect(shown).toBeLessThanOrEqual(Math.min(4, Array.from(secret).length / 4));
        expect(secret.endsWith(masked.replace(/^•{8}/, ''))).toBe(true);
      }),
    );
  });

  it('renders the characters it shows with `display`, and counts them as the secret has them', () => {
    // The compare page shows "abc\n" with its line break visible: the tail shown is the line break, not the "n" of "\n".
    expect(maskSecret('abc\n', visibleText)).toBe('••••••••\\n');
    expect(maskSecret('6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2a\u200b', visibleText)).toBe('••••••••z2a⟨U+200B⟩');
  });

  it('hides a short password completely and keeps emoji whole', () => {
    expect(maskSecret('abc')).toBe('••••••••');
    expect(maskSecret('pässwörd🔑🔑')).toBe('••••••••🔑🔑');
  });
});

describe('formatBytes', () => {
  it('uses B, KB and MB with at most one decimal', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
    expect(formatBytes(2048)).toBe('2 KB');
  });
});

describe('base64ToBytes', () => {
  it('round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const base64 = btoa(String.fromCharCode(...all));
    expect([...base64ToBytes(base64)]).toEqual([...all]);
  });
});
