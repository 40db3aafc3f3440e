import { request } from 'node:http';
import type { ServerProcess } from './processes.ts';

export interface UploadResult {
  status: number | null;
  /** Bytes the client managed to write before the server answered or hung up. */
  written: number;
  baselineBytes: number;
  peakBytes: number;
}

/**
 * Streams one large body at the server while sampling its RSS every few milliseconds; the server is
 * expected to stop reading at its body cap and answer 413.
 */
export async function uploadWhileSampling(server: ServerProcess, path: string, totalBytes: number): Promise<UploadResult> {
  const before = server.memory();
  let peak = before.rssBytes;
  const sampler = setInterval(() => {
    peak = Math.max(peak, server.memory().rssBytes);
  }, 5);
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  let written = 0;
  let status: number | null = null;
  try {
    await new Promise<void>((resolve) => {
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          resolve();
        }
      };
      const req = request(`${server.url}${path}`, {
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(totalBytes) },
      });
      req.on('response', (res) => {
        status = res.statusCode ?? null;
        res.resume();
        res.on('end', finish);
        res.on('error', finish);
      });
      // The server hangs up once it has answered: that ends the upload, it is not a failure.
      req.on('error', finish);
      req.on('close', () => setTimeout(finish, 100));
      const pump = () => {
        while (written < totalBytes && status === null && !req.destroyed) {
          const piece = Math.min(chunk.length, totalBytes - written);
          written += piece;
          if (!req.write(piece === chunk.length ? chunk : chunk.subarray(0, piece))) return void req.once('drain', pump);
        }
        if (written >= totalBytes) req.end();
      };
      pump();
    });
    // A last look, after the server has stored what it kept.
    await new Promise((resolve) => setTimeout(resolve, 200));
    peak = Math.max(peak, server.memory().rssBytes);
  } finally {
    clearInterval(sampler);
  }
  const after = server.memory();
  // The kernel's high-water mark catches a peak between two samples.
  if (after.peakBytes > before.peakBytes) peak = Math.max(peak, after.peakBytes);
  return { status, written, baselineBytes: before.rssBytes, peakBytes: peak };
}
