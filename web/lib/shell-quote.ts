/** Quotes a string for a POSIX shell: 'it'\''s' — nothing inside single quotes is expanded. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
