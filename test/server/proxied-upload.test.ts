import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDetail, makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = makeTestApp({ AUTHBIN_MAX_BODY_BYTES: String(8 * 1024 * 1024) });
  base = await t.listen();
});
afterAll(() => t.close());

/**
 * Sends a whole request on a kept-alive connection, whatever comes back meanwhile, as a reverse
 * proxy passing a body on does; resolves with what came back, or the socket error that cut it off.
 */
function sendWholeThenRead(path: string, bodyBytes: number): Promise<string> {
  const { port } = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
    socket.on('close', () => resolve(answer));
    socket.write(`POST ${path} HTTP/1.1\r\nHost: bins.example\r\nContent-Length: ${bodyBytes}\r\n\r\n`);
    const chunk = Buffer.alloc(256 * 1024, 'x');
    let sent = 0;
    const pump = () => {
      while (sent < bodyBytes) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      // Whole body sent: give the answer a moment to arrive, then hang up.
      setTimeout(() => socket.end(), 500);
    };
    pump();
  });
}

describe('a body past the cap from a reverse proxy', () => {
  it('gets the 413 even when the whole body is sent before the answer is read (no reset)', async () => {
    const answer = await sendWholeThenRead('/b/proxied/big', 16 * 1024 * 1024);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    const id = /stored as request (\d+)/.exec(answer)![1]!;
    const detail = await fetchDetail(base, id);
    expect(detail.body).toMatchObject({ truncated: true });
    expect(Buffer.from(detail.body.base64, 'base64').length).toBe(8 * 1024 * 1024);
  });
});
