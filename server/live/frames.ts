import type { RequestSummary } from '../../shared/api.ts';

/** The browser waits this long before reconnecting a dropped stream (with Last-Event-ID). */
const reconnectMs = 1000;

/**
 * A captured request as an SSE `request` event (SSE id = request id). JSON.stringify escapes every
 * CR and LF, so the summary always fits on one `data:` line.
 */
export function requestFrame(summary: RequestSummary): string {
  return `event: request\nid: ${summary.id}\ndata: ${JSON.stringify(summary)}\n\n`;
}

/** The first event of every stream: says it is open and sets the reconnection delay. */
export function readyFrame(bin: string): string {
  return `event: ready\ndata: ${JSON.stringify({ bin })}\nretry: ${reconnectMs}\n\n`;
}

/** A comment line: keeps proxies and the idle-socket timeout from closing a quiet stream. */
export const keepAliveFrame = Buffer.from(': keep-alive\n\n');

/**
 * The request events of one bin committed in one turn of the event loop, in id order. Built once
 * and encoded once, then written as is to every subscriber of the bin.
 */
export class FrameBatch {
  readonly #ids: bigint[] = [];
  readonly #frames: string[] = [];
  #bytes: Buffer | undefined;

  add(id: bigint, frame: string): void {
    this.#ids.push(id);
    this.#frames.push(frame);
    this.#bytes = undefined;
  }

  get lastId(): bigint {
    return this.#ids[this.#ids.length - 1] ?? 0n;
  }

  /** Every frame as one chunk of UTF-8. */
  get bytes(): Buffer {
    return (this.#bytes ??= Buffer.from(this.#frames.join('')));
  }

  /** The frames with an id above `afterId`, for a subscriber whose replay already sent the others. */
  bytesAfter(afterId: bigint): Buffer | undefined {
    const first = this.#ids.findIndex((id) => id > afterId);
    if (first === -1) return undefined;
    return first === 0 ? this.bytes : Buffer.from(this.#frames.slice(first).join(''));
  }
}
