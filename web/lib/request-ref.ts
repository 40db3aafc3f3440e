/**
 * The request id in what a user pastes: the id itself, or a link to the request's page
 * (`…/bins/demo/requests/01J…`); null when there is nothing to read.
 *
 * @example
 * requestIdFrom('http://localhost:8787/bins/demo/requests/01JABC?q=x'); // '01JABC'
 */
export function requestIdFrom(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const path = trimmed.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
  const segments = path.split('/').filter((s) => s !== '');
  const requests = segments.lastIndexOf('requests');
  const id = requests !== -1 && requests + 1 < segments.length ? segments[requests + 1] : segments[segments.length - 1];
  return id === undefined ? null : decodeURIComponent(id);
}
