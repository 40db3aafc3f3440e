/**
 * Reading `multipart/*` bodies (RFC 7578 forms, RFC 2046 in general) into their parts, binary safe.
 * Pure: runs in the browser (the body view, the comparison) and in Node (the API, the CLI).
 */

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

export interface MultipartPart {
  /** Headers of the part, in order. */
  headers: [string, string][];
  name: string | null;
  filename: string | null;
  contentType: string | null;
  size: number;
  /** The content as text when it is valid UTF-8, else null (binary). */
  text: string | null;
  bytes: Uint8Array;
}

/**
 * The boundary of a `multipart/*` content type, or null.
 *
 * @example
 * multipartBoundary('multipart/form-data; boundary="a b"'); // 'a b'
 */
export function multipartBoundary(contentType: string | null | undefined): string | null {
  if (!contentType || !/^\s*multipart\//i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? ((match[1] ?? match[2]) as string) : null;
}

function dispositionParam(disposition: string, param: string): string | null {
  const match = new RegExp(`;\\s*${param}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i').exec(disposition);
  if (!match) return null;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] as string);
}

/** The next delimiter from `from`: only at the start of a line counts (RFC 2046 §5.1.1), so content may hold the boundary's text. */
function delimiterAt(text: string, delimiter: string, from: number): number {
  let at = text.indexOf(delimiter, from);
  while (at > 0 && text[at - 1] !== '\n') at = text.indexOf(delimiter, at + 1);
  return at;
}

/**
 * Splits a multipart body into its parts, binary safe. Tolerates LF-only line endings and a missing final boundary
 * (a truncated body); returns an empty list when the boundary never occurs.
 *
 * @example
 * parseMultipart(utf8('--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b--'), 'b');
 * // [{ name: 'x', filename: null, size: 1, text: '1', … }]
 */
export function parseMultipart(bytes: Uint8Array, boundary: string): MultipartPart[] {
  // windows-1252 decodes one character per byte, so string indexes are byte offsets.
  const text = new TextDecoder('windows-1252').decode(bytes);
  const delimiter = '--' + boundary;
  const parts: MultipartPart[] = [];
  let start = delimiterAt(text, delimiter, 0);
  while (start !== -1) {
    let cursor = start + delimiter.length;
    if (text.startsWith('--', cursor)) break;
    const lineEnd = text.indexOf('\n', cursor);
    if (lineEnd === -1) break;
    cursor = lineEnd + 1;
    const next = delimiterAt(text, delimiter, cursor);
    let end = next === -1 ? text.length : next;
    // The line break before the next delimiter belongs to the delimiter, not the content.
    if (next !== -1 && text[end - 1] === '\n') end -= text[end - 2] === '\r' ? 2 : 1;
    parts.push(readPart(bytes, text, cursor, Math.max(cursor, end)));
    start = next;
  }
  return parts;
}

function readPart(bytes: Uint8Array, text: string, from: number, to: number): MultipartPart {
  const segment = text.slice(from, to);
  const crlf = segment.indexOf('\r\n\r\n');
  const lf = segment.indexOf('\n\n');
  // No headers: the blank line comes at once. Headers never ended: the body was cut inside them, so there is no content.
  let [headerEnd, bodyStart] = [segment.length, segment.length];
  if (segment.startsWith('\r\n')) [headerEnd, bodyStart] = [0, 2];
  else if (segment.startsWith('\n')) [headerEnd, bodyStart] = [0, 1];
  else if (crlf !== -1 && (lf === -1 || crlf < lf)) [headerEnd, bodyStart] = [crlf, crlf + 4];
  else if (lf !== -1) [headerEnd, bodyStart] = [lf, lf + 2];
  const headerText = utf8OrNull(bytes.subarray(from, from + headerEnd)) ?? segment.slice(0, headerEnd);
  const headers: [string, string][] = headerText
    .split(/\r?\n/)
    .filter((line) => line.includes(':'))
    .map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    });
  const header = (name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? null;
  const disposition = header('content-disposition') ?? '';
  const content = bytes.subarray(from + bodyStart, to);
  return {
    headers,
    name: dispositionParam(disposition, 'name'),
    filename: dispositionParam(disposition, 'filename'),
    contentType: header('content-type'),
    size: content.length,
    text: utf8OrNull(content),
    bytes: content,
  };
}
