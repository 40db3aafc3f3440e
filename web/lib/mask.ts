const BULLETS = '••••••••';

/**
 * A secret with all but its last few characters hidden: "••••••••abcd".
 * At most a quarter of the secret (and never more than 4 characters) shows, so short secrets stay hidden.
 * `display` renders the characters that show (invisible ones made visible, say): they are counted
 * as the secret has them, so an escape such as "\n" is shown whole or not at all.
 */
export function maskSecret(secret: string, display: (shown: string) => string = (shown) => shown): string {
  const chars = Array.from(secret);
  if (chars.length === 0) return '';
  const shown = Math.min(4, Math.floor(chars.length / 4));
  return BULLETS + display(chars.slice(chars.length - shown).join(''));
}
