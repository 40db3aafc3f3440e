import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Received {
  method: string;
  url: string;
  headers: [string, string][];
  body: Buffer;
}

/** A target that records what it gets and answers as the test says (by default 201 with two headers). */
export function startTarget(answer: (req: IncomingMessage, res: ServerResponse) => void = defaultAnswer) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      received.push({ method: req.method!, url: req.url!, headers, body: Buffer.concat(chunks) });
      answer(req, res);
    });
  });
  return new Promise<{ url: string; port: number; received: Received[]; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        received,
        close: () => {
          server.closeAllConnections();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}

function defaultAnswer(_req: IncomingMessage, res: ServerResponse) {
  res.writeHead(201, ['X-Reply', 'a', 'x-reply', 'b', 'Content-Type', 'text/plain; charset=utf-8']).end('created ✓');
}
