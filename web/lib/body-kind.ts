export type BodyKind = 'empty' | 'json' | 'xml' | 'form' | 'multipart' | 'text' | 'binary';

/**
 * How to show a body, from its content type first and its bytes second (senders often mislabel):
 * JSON-looking text is JSON even as text/plain, and non-UTF-8 bytes are binary whatever the label says.
 */
export function bodyKind(contentType: string | null | undefined, size: number, text: string | undefined): BodyKind {
  if (size === 0) return 'empty';
  const type = (contentType ?? '').toLowerCase();
  if (/^\s*multipart\//.test(type)) return 'multipart';
  if (text === undefined) return 'binary';
  if (/\bjson\b|\+json/.test(type)) return 'json';
  if (/\bxml\b|\+xml/.test(type)) return 'xml';
  if (type.startsWith('application/x-www-form-urlencoded')) return 'form';
  const start = text.trimStart()[0];
  if (start === '{' || start === '[') return 'json';
  if (start === '<') return 'xml';
  return 'text';
}
