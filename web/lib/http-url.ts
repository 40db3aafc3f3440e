/**
 * Why `text` is not an http:// or https:// URL a request can be sent to, or null when it is one
 * (the server checks again; this only answers before the round trip).
 * @example httpUrlError('localhost:3000') // '"localhost:3000" is not a full URL: start it with http:// or https://.'
 */
export function httpUrlError(text: string): string | null {
  const notFull = `"${text}" is not a full URL: start it with http:// or https://.`;
  // "localhost:3000" parses as a URL with the scheme "localhost:".
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return notFull;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return notFull;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `Only http:// and https:// URLs can be used, not ${url.protocol}//.`;
  return null;
}
