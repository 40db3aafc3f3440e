import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as a plain node:http server saw it: headers as sent (in order, case kept, one char per byte), body as bytes. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: Buffer;
}

export interface RecordingServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** `127.0.0.1:<port>`, as a Host header names it. */
  host: string;
  /** Every request received so far, in order (a test may empty it). */
  received: RecordedRequest[];
  /** Resolves with the next request that `next` has not given yet: one received already, or the next to come. */
  next(): Promise<RecordedRequest>;
  close(): Promise<void>;
}

/** How the server answers a request once it has recorded it (it may also never answer). */
export type Answer = (response: ServerResponse, request: RecordedRequest) => void;

const noContent: Answer = (response) => response.writeHead(204).end();

/** A node:http server on 127.0.0.1 and a free port that records every request whole, then answers it (by default 204). */
export async function startRecordingServer(answer: Answer = noContent): Promise<RecordingServer> {
  const received: RecordedRequest[] = [];
  /** Received and not yet given by `next`; and who waits in `next` for the next to come. */
  const unread: RecordedRequest[] = [];
  const waiting: ((request: RecordedRequest) => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      const request: RecordedRequest = { method: req.method!, url: req.url!, headers, body: Buffer.concat(chunks) };
      received.push(request);
      const waiter = waiting.shift();
      if (waiter) waiter(request);
      else unread.push(request);
      answer(res, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    host: `127.0.0.1:${port}`,
    received,
    next: () => {
      const request = unread.shift();
      return request ? Promise.resolve(request) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The value of the first header named `name` (any letter case), or undefined. */
export function headerOf(request: RecordedRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  return request.headers.find(([header]) => header.toLowerCase() === lower)?.[1];
}
