import { utf8OrNull } from './base64.ts';

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

/** The boundary of a `multipart/*` content type, or null. */
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

/**
 * Splits a multipart body into its parts, binary safe. Tolerates LF-only line endings and a missing final boundary
 * (a truncated body); returns an empty list when the boundary never occurs.
 */
export function parseMultipart(bytes: Uint8Array, boundary: string): MultipartPart[] {
  // windows-1252 decodes one character per byte, so string indexes are byte offsets.
  const text = new TextDecoder('windows-1252').decode(bytes);
  const delimiter = '--' + boundary;
  const parts: MultipartPart[] = [];
  let start = text.indexOf(delimiter);
  while (start !== -1) {
    let cursor = start + delimiter.length;
    if (text.startsWith('--', cursor)) break;
    const lineEnd = text.indexOf('\n', cursor);
    if (lineEnd === -1) break;
    cursor = lineEnd + 1;
    const next = text.indexOf(delimiter, cursor);
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
  let headerEnd = -1;
  let bodyStart = 0;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) [headerEnd, bodyStart] = [crlf, crlf + 4];
  else if (lf !== -1) [headerEnd, bodyStart] = [lf, lf + 2];
  const headerBytes = headerEnd === -1 ? new Uint8Array() : bytes.subarray(from, from + headerEnd);
  const headerText = utf8OrNull(headerBytes) ?? segment.slice(0, Math.max(0, headerEnd));
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
