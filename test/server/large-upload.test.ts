import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestPage } from '../../shared/api.ts';
import { fetchDetail, makeTestApp, type TestApp } from '../helpers/app.ts';

const mib = 1024 * 1024;
/** Above the size at which the store writes a body with its page cache held small (1 MiB). */
const cap = 3 * mib;

/** Bytes that differ from one offset to the next, so a lost, doubled or moved piece shows. */
function pattern(length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7 + (i >>> 16)) % 251;
  return bytes;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface UploadReply {
  status: number;
  body: string;
}

/**
 * Streams `bytes` at `url` in 256 KiB writes, as a client uploading a big file does, and stops
 * writing once the server has answered (it answers 413 and hangs up past its cap).
 */
function upload(url: string, bytes: Buffer, { declareLength }: { declareLength: boolean }): Promise<UploadReply> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': 'application/octet-stream', ...(declareLength ? { 'Content-Length': String(bytes.length) } : {}) },
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // Writing on after the server answered and closed fails; only an error before any answer counts.
    req.on('error', (error) => answered || reject(error));
    const piece = 256 * 1024;
    let written = 0;
    const pump = () => {
      while (written < bytes.length && !answered && !req.destroyed) {
        const next = bytes.subarray(written, written + piece);
        written += next.length;
        if (!req.write(next)) return void req.once('drain', pump);
      }
      if (written >= bytes.length) req.end();
    };
    pump();
  });
}

describe('a large upload on a real listener', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = makeTestApp({ AUTHBIN_MAX_BODY_BYTES: String(cap) });
    base = await t.listen();
  });
  afterAll(() => t.close());

  const detail = (id: string) => fetchDetail(base, id);

  async function storedBody(id: string): Promise<Buffer> {
    const response = await fetch(`${base}/api/requests/${id}/body`);
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }

  /** The request id a 413 names: "…were stored as request 12". */
  function idIn413(reply: UploadReply): string {
    expect(reply.status).toBe(413);
    const { error } = JSON.parse(reply.body) as { error: { code: string; message: string } };
    expect(error.code).toBe('body_too_large');
    const id = /stored as request (\d+)/.exec(error.message)?.[1];
    expect(id, `a request id in "${error.message}"`).toBeDefined();
    return id!;
  }

  it('stores a body of several MiB under the cap whole, byte for byte', async () => {
    const sent = pattern(2 * mib + 12_345);
    const reply = await upload(`${base}/b/large/under`, sent, { declareLength: true });
    expect(reply.status).toBe(200);
    const { id } = JSON.parse(reply.body) as { id: string };
    expect(sha256(await storedBody(id))).toBe(sha256(sent));
    expect((await detail(id)).body).toMatchObject({ size: sent.length, truncated: false });
  });

  it('stores a body of exactly the cap whole, without a 413', async () => {
    const sent = pattern(cap);
    const reply = await upload(`${base}/b/large/exact`, sent, { declareLength: true });
    expect(reply.status).toBe(200);
    const { id } = JSON.parse(reply.body) as { id: string };
    expect(sha256(await storedBody(id))).toBe(sha256(sent));
    expect((await detail(id)).body).toMatchObject({ size: cap, truncated: false });
  });

  it('answers 413 with the request id past the cap, and keeps exactly the first cap bytes of a declared length', async () => {
    const sent = pattern(4 * cap);
    const id = idIn413(await upload(`${base}/b/large/over`, sent, { declareLength: true }));
    const kept = await storedBody(id);
    expect(kept.length).toBe(cap);
    expect(sha256(kept)).toBe(sha256(sent.subarray(0, cap)));
    // The size is the one the client declared, though only the first cap bytes were read.
    expect((await detail(id)).body).toMatchObject({ size: sent.length, truncated: true });
  });

  it('does the same for a chunked body, whose size is what arrived before the cut', async () => {
    const sent = pattern(4 * cap);
    const id = idIn413(await upload(`${base}/b/large/chunked`, sent, { declareLength: false }));
    const kept = await storedBody(id);
    expect(sha256(kept)).toBe(sha256(sent.subarray(0, cap)));
    const { size, truncated } = (await detail(id)).body;
    expect(truncated).toBe(true);
    expect(size).toBeGreaterThan(cap);
    expect(size).toBeLessThanOrEqual(sent.length);
  });

  it('goes on capturing and listing small requests after the large ones', async () => {
    const small = await fetch(`${base}/b/large/small`, { method: 'POST', body: '{"after":"large"}' });
    expect(small.status).toBe(200);
    const { id } = (await small.json()) as { id: string };
    expect((await detail(id)).body).toMatchObject({ text: '{"after":"large"}', size: 17, truncated: false });
    const page = (await (await fetch(`${base}/api/bins/large/requests?limit=10`)).json()) as RequestPage;
    expect(page.requests.map((r) => r.path)).toEqual(['/small', '/chunked', '/over', '/exact', '/under']);
  });
});
