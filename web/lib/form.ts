/** Decodes one `application/x-www-form-urlencoded` component (`+` is a space); malformed escapes are kept as written. */
export function decodeFormComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/**
 * The name/value pairs of a query string or form body, in order, duplicates kept: "a=1&b=&a=2" → [["a","1"],["b",""],["a","2"]].
 * A leading "?" is ignored; a part without "=" has an empty value.
 */
export function parseFormPairs(text: string): [string, string][] {
  const source = text.startsWith('?') ? text.slice(1) : text;
  if (source === '') return [];
  return source
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq === -1 ? part : part.slice(0, eq);
      const value = eq === -1 ? '' : part.slice(eq + 1);
      return [decodeFormComponent(name), decodeFormComponent(value)];
    });
}
