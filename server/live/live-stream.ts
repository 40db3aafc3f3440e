import type { Writable } from 'node:stream';
import { keepAliveFrame, type FrameBatch } from './frames.ts';
import type { LiveSubscriber, StreamLimits } from './subscriber.ts';

export interface LiveStreamOptions extends StreamLimits {
  /** The last request the client has (Last-Event-ID): nothing up to it is sent again. */
  after: bigint;
}

/**
 * One client's event stream, written straight to its socket. Live events are held back while the
 * missed ones are replayed, then sent after them with nothing skipped or sent twice (events carry
 * increasing ids). A client that stops reading gets a bounded backlog, then its stream is cut off:
 * its browser reconnects with Last-Event-ID and replays the rest from the database.
 */
export class LiveStream implements LiveSubscriber {
  readonly #out: Writable;
  readonly #maxBacklogBytes: number;
  #lastSent: bigint;
  /** Live batches that arrived during the replay. */
  #held: FrameBatch[] | undefined = [];
  #heldBytes = 0;
  /** What waits for the client to read what it was sent already. */
  #backlog: Buffer[] = [];
  #backlogBytes = 0;
  #congested = false;
  #closed = false;
  readonly #closeListeners: (() => void)[] = [];
  readonly #drainWaiters: (() => void)[] = [];
  readonly #keepAlive: NodeJS.Timeout;

  constructor(out: Writable, options: LiveStreamOptions) {
    this.#out = out;
    this.#maxBacklogBytes = options.maxBacklogBytes;
    this.#lastSent = options.after;
    out.on('drain', () => this.#drained());
    out.once('close', () => this.#ended());
    // A socket error also closes the stream; the client reconnects and replays.
    out.on('error', () => this.#ended());
    // Sent even while events flow: cheaper than tracking when the stream last wrote.
    this.#keepAlive = setInterval(() => {
      if (!this.#congested) this.#write(keepAliveFrame);
    }, options.keepAliveMs).unref();
    // The client may have gone while the request was being handled: its `close` came already.
    if (out.destroyed) this.#ended();
  }

  get closed(): boolean {
    return this.#closed;
  }

  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#closeListeners.push(listener);
  }

  /** Writes a frame that is not a request event (the `ready` event). */
  send(text: string): void {
    this.#write(Buffer.from(text));
  }

  /** Writes replayed request events (the page of missed requests up to `lastId`); waits while the client catches up. */
  async replay(chunk: Buffer, lastId: bigint): Promise<void> {
    this.#lastSent = lastId;
    this.#write(chunk);
    if (this.#congested && !this.#closed) await new Promise<void>((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Ends the replay: sends the live events held meanwhile (those not replayed), and from now on each one as it comes. */
  goLive(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    this.#heldBytes = 0;
    for (const batch of held) this.deliver(batch);
  }

  deliver(batch: FrameBatch): void {
    if (this.#closed) return;
    if (this.#held) {
      this.#held.push(batch);
      this.#heldBytes += batch.bytes.byteLength;
      this.#checkBacklog();
      return;
    }
    if (batch.lastId <= this.#lastSent) return;
    const chunk = batch.bytesAfter(this.#lastSent);
    this.#lastSent = batch.lastId;
    if (chunk) this.#write(chunk);
  }

  /** Ends the stream (on shutdown): what was written still reaches the client. */
  close(): void {
    if (this.#closed) return;
    this.#out.end();
    this.#ended();
  }

  #write(chunk: Buffer): void {
    if (this.#closed) return;
    if (this.#congested) {
      this.#backlog.push(chunk);
      this.#backlogBytes += chunk.byteLength;
      this.#checkBacklog();
    } else if (!this.#out.write(chunk)) {
      this.#congested = true;
    }
  }

  #checkBacklog(): void {
    if (this.#backlogBytes + this.#heldBytes > this.#maxBacklogBytes) {
      // Too far behind to catch up from memory: the client replays the rest when it reconnects.
      this.#out.destroy();
      this.#ended();
    }
  }

  #drained(): void {
    if (this.#closed) return;
    this.#congested = false;
    const backlog = this.#backlog;
    this.#backlog = [];
    this.#backlogBytes = 0;
    if (backlog.length > 0) this.#write(backlog.length === 1 ? backlog[0]! : Buffer.concat(backlog));
    if (!this.#congested) for (const resume of this.#drainWaiters.splice(0)) resume();
  }

  #ended(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    this.#backlog = [];
    this.#held = undefined;
    this.#heldBytes = 0;
    for (const resume of this.#drainWaiters.splice(0)) resume();
    for (const listener of this.#closeListeners.splice(0)) listener();
  }
}
