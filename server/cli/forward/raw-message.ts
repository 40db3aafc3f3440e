/** Reads the `message/http` form of a stored request (`GET /api/requests/{id}/raw`). */

export interface RawRequest {
  method: string;
  /** The request target as sent, such as `/b/demo/hook?x=1`. */
  target: string;
  httpVersion: string;
  /** Names and values as latin1 strings, one character per byte, in the order sent. */
  headers: [string, string][];
  body: Buffer;
}

/**
 * Splits the bytes into request line, headers and body without decoding or normalising anything.
 * Undefined when they are not an HTTP/1.x request message.
 *
 * @example
 * parseRawRequest(Buffer.from('POST /b/demo HTTP/1.1\r\nHost: x\r\n\r\nhi'))
 * // { method: 'POST', target: '/b/demo', httpVersion: '1.1', headers: [['Host', 'x']], body: <'hi'> }
 */
export function parseRawRequest(bytes: Buffer): RawRequest | undefined {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd === -1) return undefined;
  const [requestLine = '', ...lines] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const parts = /^([^ ]+) ([^ ]+) HTTP\/(\d\.\d)$/.exec(requestLine);
  if (!parts) return undefined;
  const headers: [string, string][] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    // Stored values carry no surrounding whitespace (the HTTP parser trimmed it); the message adds one space.
    headers.push([line.slice(0, colon), line.slice(colon + 1).replace(/^[ \t]+/, '')]);
  }
  return { method: parts[1]!, target: parts[2]!, httpVersion: parts[3]!, headers, body: bytes.subarray(headEnd + 4) };
}
