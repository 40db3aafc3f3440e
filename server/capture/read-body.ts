import type { IncomingMessage } from 'node:http';

export interface CappedBody {
  /** At most `cap` bytes. */
  body: Buffer;
  /** Bytes the client sent or declared, which may exceed what was kept. */
  size: number;
  truncated: boolean;
}

const initialUnknownLength = 64 * 1024;

/**
 * Reads a request body from the socket, keeping at most `cap` bytes: past the cap it stops
 * reading (so memory stays bounded whatever the client sends) and reports the body truncated.
 * Bytes are copied once, into a buffer sized from Content-Length when the client declares one.
 * Rejects when the client goes away before the body ends.
 */
export function readCappedBody(incoming: IncomingMessage, cap: number): Promise<CappedBody> {
  const declared = Number(incoming.headers['content-length']);
  const hasLength = incoming.headers['content-length'] !== undefined && Number.isSafeInteger(declared) && declared >= 0;
  let buffer = Buffer.allocUnsafe(Math.min(hasLength ? declared : initialUnknownLength, cap));
  let kept = 0;
  let received = 0;

  return new Promise((resolve, reject) => {
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const finish = (truncated: boolean) => {
      cleanup();
      const size = truncated && hasLength && declared > received ? declared : received;
      resolve({ body: buffer.subarray(0, kept), size, truncated });
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      const take = Math.min(chunk.length, cap - kept);
      if (kept + take > buffer.length) {
        const grown = Buffer.allocUnsafe(Math.min(cap, Math.max(buffer.length * 2, kept + take)));
        buffer.copy(grown, 0, 0, kept);
        buffer = grown;
      }
      chunk.copy(buffer, kept, 0, take);
      kept += take;
      if (take < chunk.length) {
        incoming.pause();
        finish(true);
      }
    };
    const onEnd = () => finish(false);
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      if (!incoming.complete) onError(new Error('the client closed the connection before the body ended'));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}
