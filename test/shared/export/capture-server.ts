import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as a plain node:http server saw it: header bytes as latin1 strings, body as bytes. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: Buffer;
}

export interface CaptureServer {
  base: string;
  /** Resolves with the next request the server receives. */
  next(): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 that records each request and answers 204. */
export async function startCaptureServer(): Promise<CaptureServer> {
  const received: ReceivedRequest[] = [];
  const waiting: ((request: ReceivedRequest) => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      const request = { method: req.method!, url: req.url!, headers, body: Buffer.concat(chunks) };
      const waiter = waiting.shift();
      if (waiter) waiter(request);
      else received.push(request);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    next: () => {
      const request = received.shift();
      return request ? Promise.resolve(request) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
