/**
 * True for the name `Authorization` in any letter case, as HTTP compares header names. Most names
 * are settled by their length, without making a lower-case copy.
 *
 * @example
 * isAuthorizationName('authorization'); // true
 * isAuthorizationName('X-Authorization'); // false
 */
export function isAuthorizationName(name: string): boolean {
  // Lower case never shortens text and lengthens it only with a combining dot (U+0130 gives "i\u0307"),
  // so no name of another length becomes "authorization".
  return name.length === 13 && name.toLowerCase() === 'authorization';
}
