import { randomBytes } from 'node:crypto';
import { brotliCompressSync, constants, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/api.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

const mib = 1024 * 1024;
const brotli = (bytes: Buffer) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } });

/** Stores `body` sent with `Content-Encoding: encoding`; its download path, and the answer to it decoded. */
async function captureAndDecode(t: TestApp, body: Buffer, encoding: string): Promise<{ path: string; response: Response }> {
  const captured = await t.app.request('/b/decode', { method: 'POST', body: new Uint8Array(body), headers: { 'Content-Encoding': encoding } });
  expect(captured.status).toBe(200);
  const path = `/api/requests/${((await captured.json()) as { id: string }).id}/body`;
  return { path, response: await t.app.request(`${path}?decoded=1`) };
}

describe('GET /api/requests/{id}/body?decoded=1', () => {
  let t: TestApp;
  // A small limit keeps the bombs small; the real default is tested on a listener below.
  beforeAll(() => {
    t = makeTestApp({ AUTHBIN_MAX_DECODED_BYTES: String(mib) });
  });
  afterAll(() => t.close());

  const original = randomBytes(200 * 1024);
  it.each([
    ['gzip', gzipSync(original)],
    ['x-gzip', gzipSync(original)],
    ['deflate', deflateSync(original)],
    ['deflate', deflateRawSync(original)],
    ['br', brotli(original)],
    // Listed in the order applied: gzip first, then br.
    ['gzip, br', brotli(gzipSync(original))],
    ['br, identity, GZIP', gzipSync(brotli(original))],
  ])('undoes %s byte for byte', async (encoding, body) => {
    const { response } = await captureAndDecode(t, body, encoding);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(original)).toBe(true);
  });

  const zeros = Buffer.alloc(16 * mib);
  it.each([
    ['gzip', gzipSync(zeros)],
    ['deflate', deflateSync(zeros)],
    ['deflate', deflateRawSync(zeros)],
    ['br', brotli(zeros)],
    ['gzip, br', brotli(gzipSync(zeros))],
  ])('refuses a %s bomb with 413, the raw body still downloadable', async (encoding, body) => {
    const { path, response } = await captureAndDecode(t, body, encoding);
    expect(response.status).toBe(413);
    const { error } = (await response.json()) as ApiError;
    expect(error.code).toBe('decoded_too_large');
    expect(error.message).toContain('more than 1 MiB');
    expect(error.message).toContain('without ?decoded=1');
    const raw = await t.app.request(path);
    expect(raw.status).toBe(200);
    expect(Buffer.from(await raw.arrayBuffer()).equals(body)).toBe(true);
  });

  it('counts every layer of a stacked encoding against the limit', async () => {
    // Each layer is 600 KiB, under the 1 MiB limit; together they are over it.
    const incompressible = randomBytes(600 * 1024);
    expect((await captureAndDecode(t, gzipSync(incompressible), 'gzip')).response.status).toBe(200);
    const { response } = await captureAndDecode(t, brotli(gzipSync(incompressible)), 'gzip, br');
    expect(response.status).toBe(413);
  });

  it('answers 400 for an unknown coding or bytes that are not what the header says', async () => {
    const { response: unknown } = await captureAndDecode(t, Buffer.from('x'), 'zstd');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ApiError).error.code).toBe('unsupported_encoding');
    const { response: broken } = await captureAndDecode(t, Buffer.from('not gzip'), 'gzip');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ApiError).error.code).toBe('undecodable_body');
  });
});

describe('a 1 GiB gzip bomb on a real listener, default limit', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = makeTestApp();
    base = await t.listen();
  });
  afterAll(() => t.close());

  it('is refused with 413 while /healthz keeps answering within 500 ms', async () => {
    // gzip members may follow one another: 1,024 of them, each 1 MiB of zeros, are a 1 MiB body that inflates to 1 GiB.
    const member = gzipSync(Buffer.alloc(mib), { level: 9 });
    const body = Buffer.concat(Array.from({ length: 1024 }, () => member));
    expect(body.length).toBeLessThan(2 * mib);
    const captured = await fetch(`${base}/b/bomb`, { method: 'POST', body: new Uint8Array(body), headers: { 'Content-Encoding': 'gzip' } });
    const { id } = (await captured.json()) as { id: string };

    const rssBefore = process.memoryUsage.rss();
    let peakRss = rssBefore;
    let done = false;
    const decoding = fetch(`${base}/api/requests/${id}/body?decoded=1`).then(async (response) => {
      done = true;
      return { status: response.status, body: (await response.json()) as ApiError };
    });
    const waits: number[] = [];
    while (!done) {
      const started = performance.now();
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      waits.push(performance.now() - started);
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { status, body: answer } = await decoding;
    expect(status).toBe(413);
    expect(answer.error.message).toContain('more than 64 MiB');
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeLessThan(500);
    // Bounded by the 64 MiB limit, not by the 1 GiB the bomb would inflate to.
    expect(peakRss - rssBefore).toBeLessThan(400 * mib);
  });
});
