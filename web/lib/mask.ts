const BULLETS = '••••••••';

/**
 * A secret with all but its last few characters hidden: "••••••••abcd".
 * At most a quarter of the secret (and never more than 4 characters) shows, so short secrets stay hidden.
 */
export function maskSecret(secret: string): string {
  const chars = Array.from(secret);
  if (chars.length === 0) return '';
  const shown = Math.min(4, Math.floor(chars.length / 4));
  return BULLETS + chars.slice(chars.length - shown).join('');
}
