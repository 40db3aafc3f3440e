/** A bin name: 1–64 letters, digits, `_` or `-`, so it fits a URL path segment as it is. */
const binName = /^[A-Za-z0-9_-]{1,64}$/;

/** The rule in words, for error messages: "a bin name is …". */
export const binNameSyntax = '1–64 letters, digits, "_" or "-"';

/**
 * True when `name` may name a bin (in `/b/{bin}`, the API and `--bin`).
 *
 * @example
 * isBinName('zendesk-prod'); // true
 * isBinName('my bin'); // false
 */
export function isBinName(name: string): boolean {
  return binName.test(name);
}
