import pg from 'pg';
import type { StoredRequest } from '../store.ts';

const captureChannel = 'authbin_capture';
/** Named by the bin_rules table's triggers (see schema.ts) with each bin whose rules changed. */
const rulesChannel = 'authbin_rules';
/** Rows read per query when catching up after a lost connection. */
const replayPage = 500;
const reconnectDelaysMs = [50, 250, 1000, 2000, 5000];
/** A LISTEN connection that has gone quiet is checked this often, so a dead one is noticed. */
const heartbeatMs = 15_000;

export interface LiveFeedSource {
  /** Oldest first: committed requests with `afterId < id <= upToId` (all after `afterId` when `upToId` is null). */
  load(afterId: string, upToId: string | null, limit: number): Promise<StoredRequest[]>;
  /** Called with each newly committed request, in id order, once. */
  deliver(requests: StoredRequest[]): void;
  /** Called with a bin whose rules changed on any instance, and with null when changes may have been missed while reconnecting. */
  rulesChanged(bin: string | null): void;
}

/**
 * Live events across instances. Every instance LISTENs on one connection of its own; each
 * transaction that inserts captures NOTIFYs its id range on commit. Inserts commit in id order
 * (lockKeys.insert), so notifications arrive in id order: the feed delivers each range once,
 * its own instance's from memory, others' read from the table. When the connection is lost it
 * connects again and replays everything after the highest id it has delivered, so no capture is
 * skipped or repeated. The same connection hears which bins' rules changed, which every instance
 * keeps in memory; after a lost connection all of them may have.
 */
export class LiveFeed {
  readonly #config: pg.ClientConfig;
  readonly #instance: string;
  readonly #source: LiveFeedSource;
  /** Ranges this instance inserted, by first id, until their notification arrives. */
  readonly #own = new Map<string, StoredRequest[]>();
  #client: pg.Client | undefined;
  /** Every capture with an id up to this one was delivered (or came before the feed started). */
  #highest = 0n;
  /** Notifications and replays, handled one at a time, in order. */
  #queue: Promise<void> = Promise.resolve();
  #heartbeat: NodeJS.Timeout | undefined;
  /** Ends the wait between reconnection attempts when the feed closes. */
  #wakeUp: (() => void) | undefined;
  #closed = false;
  #failures = 0;

  constructor(config: pg.ClientConfig, instance: string, source: LiveFeedSource) {
    this.#config = { ...config, application_name: 'authbin-live', keepAlive: true };
    this.#instance = instance;
    this.#source = source;
  }

  /** Connects and listens; captures committed from now on are delivered. */
  async start(): Promise<void> {
    await this.#connect();
    const client = this.#client!;
    // In the queue, so that notifications arriving meanwhile are weighed against it.
    await this.#enqueue(async () => {
      const { rows } = await client.query<{ max: string | null }>('SELECT max(id)::text AS max FROM requests');
      this.#highest = BigInt(rows[0]!.max ?? 0);
    }, true);
  }

  /**
   * The statement that announces a range this instance is committing, to run in its transaction:
   * `<first id> <last id> <instance id>` on `captureChannel`. Its rows are kept, to deliver them
   * without reading them back; `forget` them when the transaction fails.
   */
  announce(stored: StoredRequest[]): string {
    this.#own.set(stored[0]!.id, stored);
    // Ids are digits and the instance name base64url: nothing to escape.
    return `SELECT pg_notify('${captureChannel}', '${stored[0]!.id} ${stored[stored.length - 1]!.id} ${this.#instance}')`;
  }

  forget(stored: StoredRequest[]): void {
    if (stored.length > 0) this.#own.delete(stored[0]!.id);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#wakeUp?.();
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
    await this.#queue;
  }

  async #connect(): Promise<void> {
    const client = new pg.Client(this.#config);
    client.on('notification', (message) => {
      if (message.channel === captureChannel && message.payload) this.#enqueue(() => this.#onNotification(message.payload!));
      if (message.channel === rulesChannel && message.payload) this.#source.rulesChanged(message.payload);
    });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${captureChannel}; LISTEN ${rulesChannel}`);
    } catch (error) {
      // Not listening: this connection is of no use, and the next attempt makes another.
      await client.end().catch(() => {});
      throw error;
    }
    this.#client = client;
    clearInterval(this.#heartbeat);
    this.#heartbeat = setInterval(() => client.query('SELECT 1').catch(() => this.#lost(client)), heartbeatMs);
    this.#heartbeat.unref();
  }

  #lost(client: pg.Client): void {
    if (this.#closed || this.#client !== client) return;
    this.#client = undefined;
    clearInterval(this.#heartbeat);
    client.end().catch(() => {});
    this.#enqueue(() => this.#reconnect());
  }

  async #reconnect(): Promise<void> {
    while (!this.#closed) {
      const delay = reconnectDelaysMs[Math.min(this.#failures, reconnectDelaysMs.length - 1)]!;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.#wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wakeUp = undefined;
      if (this.#closed) return;
      try {
        await this.#connect();
        this.#failures = 0;
        this.#source.rulesChanged(null);
        // Listening again: what was committed meanwhile is in the table.
        await this.#replay();
        return;
      } catch (error) {
        this.#failures++;
        if (this.#failures === 1) console.error(`authbin: live events: reconnecting to PostgreSQL failed (${(error as Error).message}); retrying`);
      }
    }
  }

  async #replay(): Promise<void> {
    for (;;) {
      const missed = await this.#source.load(String(this.#highest), null, replayPage);
      this.#deliver(missed);
      if (missed.length < replayPage) break;
    }
    for (const [first, rows] of this.#own) if (BigInt(rows[rows.length - 1]!.id) <= this.#highest) this.#own.delete(first);
  }

  async #onNotification(payload: string): Promise<void> {
    const [first, last, instance] = payload.split(' ');
    if (!first || !last || !/^\d+$/.test(first) || !/^\d+$/.test(last)) return;
    const own = instance === this.#instance ? this.#own.get(first) : undefined;
    this.#own.delete(first);
    if (BigInt(last) <= this.#highest) return;
    if (own) {
      this.#deliver(own);
      return;
    }
    // Ids between the last range and this one belong to imports or to rolled-back inserts: no live events.
    const from = BigInt(first) - 1n > this.#highest ? BigInt(first) - 1n : this.#highest;
    let rows: StoredRequest[];
    try {
      rows = await this.#source.load(String(from), last, Number(BigInt(last) - from));
    } catch (error) {
      // Read it again, with everything after it, once the database answers.
      if (this.#client) this.#lost(this.#client);
      throw error;
    }
    this.#deliver(rows);
    if (BigInt(last) > this.#highest) this.#highest = BigInt(last);
  }

  #deliver(requests: StoredRequest[]): void {
    const fresh = requests.filter((r) => BigInt(r.id) > this.#highest);
    if (fresh.length === 0) return;
    this.#highest = BigInt(fresh[fresh.length - 1]!.id);
    this.#source.deliver(fresh);
  }

  /** Runs `task` after those before it; `rethrow` hands its failure to the caller instead of logging it. */
  #enqueue(task: () => Promise<void>, rethrow = false): Promise<void> {
    const run = this.#queue.then(task);
    this.#queue = run.catch((error: Error) => {
      if (!rethrow) console.error(`authbin: live events: ${error.message}`);
    });
    return rethrow ? run : this.#queue;
  }
}
