/** One HTTP/1.1 response as it came off the wire. */
export interface WireResponse {
  status: number;
  /** Header lines in order, names as sent. */
  headers: [string, string][];
  body: Buffer;
}

/** The first value of a header, matched without regard to case. */
export function headerOf(response: WireResponse, name: string): string | undefined {
  const lower = name.toLowerCase();
  return response.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** The body of a response as JSON. */
export function jsonOf<T>(response: WireResponse): T {
  return JSON.parse(response.body.toString('utf8')) as T;
}

const crlf = Buffer.from('\r\n');
const headEnd = Buffer.from('\r\n\r\n');

/**
 * Parses back-to-back responses (as they arrive on a keep-alive or pipelined connection).
 * `bodyless(i)` says whether the i-th response answers a HEAD request. Interim 1xx responses are
 * skipped. A response without a length is read to the end only when `ended` (the server closed).
 * Stops at the first incomplete response and returns what is left.
 */
export function parseResponses(data: Buffer, ended: boolean, bodyless: (index: number) => boolean = () => false): { responses: WireResponse[]; rest: Buffer } {
  const responses: WireResponse[] = [];
  let offset = 0;
  for (;;) {
    const end = data.indexOf(headEnd, offset);
    if (end === -1) break;
    const [statusLine = '', ...lines] = data.subarray(offset, end).toString('latin1').split('\r\n');
    const status = Number(statusLine.split(' ')[1]);
    const headers = lines.map((line): [string, string] => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon), line.slice(colon + 1).trim()];
    });
    const head: WireResponse = { status, headers, body: Buffer.alloc(0) };
    let next = end + 4;
    if (status >= 100 && status < 200) {
      offset = next;
      continue;
    }
    const length = headerOf(head, 'content-length');
    if (bodyless(responses.length) || status === 204 || status === 304) {
      // no body
    } else if (headerOf(head, 'transfer-encoding')?.toLowerCase() === 'chunked') {
      const chunks: Buffer[] = [];
      let complete = false;
      for (;;) {
        const lineEnd = data.indexOf(crlf, next);
        if (lineEnd === -1) break;
        const size = parseInt(data.subarray(next, lineEnd).toString('latin1'), 16);
        if (size === 0) {
          const trailerEnd = data.indexOf(headEnd, lineEnd);
          if (data.subarray(lineEnd, lineEnd + 4).equals(headEnd)) next = lineEnd + 4;
          else if (trailerEnd !== -1) next = trailerEnd + 4;
          else break;
          complete = true;
          break;
        }
        if (data.length < lineEnd + 2 + size + 2) break;
        chunks.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
        next = lineEnd + 2 + size + 2;
      }
      if (!complete) break;
      head.body = Buffer.concat(chunks);
    } else if (length !== undefined) {
      const size = Number(length);
      if (data.length < next + size) break;
      head.body = data.subarray(next, next + size);
      next += size;
    } else {
      if (!ended) break;
      head.body = data.subarray(next);
      next = data.length;
    }
    responses.push(head);
    offset = next;
  }
  return { responses, rest: data.subarray(offset) };
}
