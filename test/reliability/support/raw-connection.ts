import { connect, type Socket } from 'node:net';
import { parseResponses, type WireResponse } from './http-responses.ts';

/**
 * A TCP connection to the server that sends exactly the bytes it is given: for what an HTTP
 * client library would refuse or tidy up (bad framing, odd bytes, pipelining, slow clients).
 */
export class RawConnection {
  readonly #socket: Socket;
  readonly #openedAt = Date.now();
  #data = Buffer.alloc(0);
  #closedAt: number | null = null;
  readonly #changed = new Set<() => void>();

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#data = Buffer.concat([this.#data, chunk]);
      this.#notify();
    });
    // A reset after the server answered is still a close; what was read stays readable.
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#closedAt = Date.now();
      this.#notify();
    });
  }

  static open(baseUrl: string): Promise<RawConnection> {
    const { hostname, port } = new URL(baseUrl);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends bytes (a string one byte per char); resolves once the kernel has them (false when the server is gone). */
  write(bytes: string | Buffer): Promise<boolean> {
    if (this.#socket.destroyed || !this.#socket.writable) return Promise.resolve(false);
    const raw = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    return new Promise((resolve) => this.#socket.write(raw, (error) => resolve(!error)));
  }

  /** Everything the server sent so far. */
  get received(): Buffer {
    return this.#data;
  }

  /** Milliseconds from opening until the server closed the connection, or null while it is open. */
  get closedAfterMs(): number | null {
    return this.#closedAt === null ? null : this.#closedAt - this.#openedAt;
  }

  /**
   * Waits for `count` complete responses (fewer if the server closes first, or `timeoutMs` passes).
   * `bodyless(i)` marks the responses to HEAD requests.
   */
  async responses(count: number, timeoutMs = 10_000, bodyless?: (index: number) => boolean): Promise<WireResponse[]> {
    const parsed = () => parseResponses(this.#data, this.#closedAt !== null, bodyless).responses;
    await this.#until(() => parsed().length >= count || this.#closedAt !== null, timeoutMs);
    return parsed();
  }

  /** Waits until the server closes the connection; resolves to ms since opening, or null on timeout. */
  async closed(timeoutMs: number): Promise<number | null> {
    await this.#until(() => this.#closedAt !== null, timeoutMs);
    return this.closedAfterMs;
  }

  /** Waits until what the server sent satisfies `check` (or it closes, or `timeoutMs` passes). */
  async receivedWhen(check: (received: Buffer) => boolean, timeoutMs: number): Promise<Buffer> {
    await this.#until(() => check(this.#data) || this.#closedAt !== null, timeoutMs);
    return this.#data;
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #notify(): void {
    for (const listener of this.#changed) listener();
  }

  #until(done: () => boolean, timeoutMs: number): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#changed.delete(check);
        resolve();
      };
      const check = () => {
        if (done()) finish();
      };
      const timer = setTimeout(finish, timeoutMs);
      this.#changed.add(check);
    });
  }
}

/** Sends `bytes` on a fresh connection and returns the first `count` responses (fewer if the server closes first). */
export async function exchange(baseUrl: string, bytes: string | Buffer, count = 1, timeoutMs = 10_000): Promise<WireResponse[]> {
  const connection = await RawConnection.open(baseUrl);
  try {
    await connection.write(bytes);
    return await connection.responses(count, timeoutMs);
  } finally {
    connection.destroy();
  }
}
