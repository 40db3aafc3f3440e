import type { Rule } from '../../shared/rules/types.ts';
import { RuleSecrets, SecretKeyMissing } from '../rules/secrets.ts';
import { captureRulesOf, keepRules, sentSecret, shownRules, type CaptureRules } from '../rules/stored-rules.ts';
import { secretNotExported } from '../../shared/rules/masked-secret.ts';
import type { Bin, BinResponse, ForwardResult, RequestPage } from '../../shared/api.ts';
import { toSummary } from '../request-views.ts';
import { BinCache } from './bin-cache.ts';
import { CaptureBatcher } from './capture-batcher.ts';
import type { EngineParts, InsertedRequests } from './engine.ts';
import { filteredScan } from './filtered-scan.ts';
import { isEmptyFilter } from './request-filter.ts';
import type { RetentionOptions } from './retention-policy.ts';
import { RetentionSchedule } from './retention-schedule.ts';
import type { BinChange, BinQuery, CaptureListener, CapturedRequest, LoginSession, RequestQuery, Store, StoredPage, StoredRequest } from './store.ts';

/**
 * The store, above its engine: captures committed in batches (capture-batcher.ts), bins that capture
 * asks about answered from memory (bin-cache.ts), filters applied the same way (filtered-scan.ts),
 * retention scheduled (retention-schedule.ts), listeners told. The engine (engine.ts) brings the SQL.
 * Work that changes a bin's requests waits for the captures before it, so it sees them.
 */
export class StoreCore<Row, Id> implements Store {
  readonly #engine: EngineParts<Row, Id>;
  readonly #batcher: CaptureBatcher<Row>;
  readonly #binCache: BinCache;
  readonly #retention: RetentionSchedule<Id>;
  #closing: Promise<void> | undefined;
  #secrets: RuleSecrets | undefined;
  /** Each bin's rules as capture applies them, compiled, kept until they change; a read in progress is shared. */
  readonly #captureRules = new Map<string, Promise<CaptureRules>>();

  constructor(engine: EngineParts<Row, Id>, options: RetentionOptions) {
    this.#engine = engine;
    const { requests, bins, listeners } = engine;
    this.#binCache = new BinCache((bin) => bins.settings(bin));
    this.#retention = new RetentionSchedule(engine.retention, options);
    this.#batcher = new CaptureBatcher({
      maxBatch: requests.maxBatch,
      prepare: (request) => requests.prepare(request),
      commit: async (rows) => {
        try {
          return this.#inserted(await requests.insert(rows, { live: true, isKnown: (bin) => this.#binCache.isKnown(bin) }));
        } catch (error) {
          this.#retention.insertFailed(error);
          throw error;
        }
      },
      ...(engine.tellOnCommit && { committed: (stored: StoredRequest[]) => listeners.tell(stored) }),
    });
    engine.rules.watch?.((bin) => (bin === null ? this.#captureRules.clear() : this.#captureRules.delete(bin)));
    this.#retention.start();
  }

  capture(request: CapturedRequest): Promise<StoredRequest> {
    return this.#batcher.add(request);
  }

  /** After an insert committed: what it says of its bins. */
  #inserted({ stored, bins }: InsertedRequests): StoredRequest[] {
    for (const [bin, { settings }] of bins) {
      // Only once committed: a rolled-back batch must create its bins again next time.
      this.#binCache.markKnown(bin);
      if (settings) this.#binCache.remember(bin, settings);
    }
    this.#retention.inserted(stored, [...bins].map(([bin, { requestCount }]) => [bin, requestCount]));
    return stored;
  }

  async binResponse(bin: string): Promise<BinResponse | null> {
    return (await this.#binCache.settings(bin)).response;
  }

  async binForwardTo(bin: string): Promise<string | null> {
    return (await this.#binCache.settings(bin)).forwardTo;
  }

  admitBin(id: string, maxBins: number): Promise<boolean> {
    return this.#binCache.admit(id, () => this.#engine.bins.admit(id, maxBins));
  }

  async listBins(query: BinQuery): Promise<Bin[]> {
    return this.#engine.bins.list(query);
  }

  async getBin(id: string): Promise<Bin | undefined> {
    return this.#engine.bins.get(id);
  }

  async createBin(id: string, response: BinResponse | null): Promise<Bin | undefined> {
    const bin = await this.#engine.bins.create(id, response);
    this.#binCache.settingsChanged(id);
    if (bin) this.#binCache.markKnown(id);
    return bin;
  }

  async updateBin(id: string, change: BinChange): Promise<Bin | undefined> {
    const bin = await this.#engine.bins.update(id, change);
    this.#binCache.settingsChanged(id);
    return bin;
  }

  async deleteBin(id: string): Promise<boolean> {
    await this.#batcher.drain();
    const deleted = await this.#engine.bins.delete(id);
    this.#binCache.forget(id);
    this.#captureRules.delete(id);
    this.#retention.forgetBin(id);
    return deleted;
  }

  /** The bin's rules, secrets masked, with their counters. */
  async getRules(bin: string): Promise<Rule[]> {
    return shownRules(await this.#engine.rules.list(bin));
  }

  /** Replaces the bin's rules (already validated), keeping secrets only as hashes or sealed; `fromExport`: see `Store.setRules`. */
  async setRules(bin: string, sent: Rule[], options: { fromExport?: boolean } = {}): Promise<Rule[]> {
    const { rules } = this.#engine;
    // Refused before anything is kept: a rule with a secret needs the key now, and at every capture on every instance.
    if (sent.some((rule) => rule.when.some((condition) => ![null, secretNotExported].includes(sentSecret(condition))))) this.ruleSecrets();
    const kept = keepRules(sent, await rules.list(bin), () => this.ruleSecrets(), options);
    await rules.replace(bin, kept);
    this.#captureRules.delete(bin);
    return shownRules(kept);
  }

  /** Sets the counters of the bin's rules back to 0. */
  async resetRules(bin: string): Promise<Rule[]> {
    const { rules } = this.#engine;
    await rules.reset(bin);
    return shownRules(await rules.list(bin));
  }

  /**
   * The bin's rules as capture applies them, compiled, kept in memory until they change. The first
   * captures share one read; a change heard while it runs drops it, so what it read is not kept.
   */
  compiledRules(bin: string): Promise<CaptureRules> {
    let kept = this.#captureRules.get(bin);
    if (!kept) {
      const read = (async () => captureRulesOf(await this.#engine.rules.list(bin)))();
      this.#captureRules.set(bin, read);
      // A failed read is not kept: the next capture reads again.
      read.catch(() => this.#captureRules.get(bin) === read && this.#captureRules.delete(bin));
      kept = read;
    }
    return kept;
  }

  /** The key of rules' secrets, for checking what a capture sent against what is kept; throws `SecretKeyMissing` when there is none. */
  ruleSecrets(): RuleSecrets {
    if (!this.#secrets) {
      const key = this.#engine.ruleKey();
      if (!key) throw new SecretKeyMissing();
      this.#secrets = new RuleSecrets(key);
    }
    return this.#secrets;
  }

  async listRequests(bin: string, { limit, before, filter }: RequestQuery): Promise<StoredPage> {
    const { requests } = this.#engine;
    if (filter && !isEmptyFilter(filter)) return filteredScan(requests.candidates(bin, filter), filter, limit, before);
    return requests.page(bin, limit, before);
  }

  async listSummaries(bin: string, query: RequestQuery): Promise<RequestPage> {
    const { requests } = this.#engine;
    if (requests.summaryPage && !(query.filter && !isEmptyFilter(query.filter))) return requests.summaryPage(bin, query.limit, query.before);
    const page = await this.listRequests(bin, query);
    return { requests: page.requests.map(toSummary), next: page.next };
  }

  async requestsAfter(bin: string, afterId: string, limit: number): Promise<StoredRequest[]> {
    return this.#engine.requests.after(bin, afterId, limit);
  }

  async getRequest(id: string): Promise<StoredRequest | undefined> {
    return this.#engine.requests.get(id);
  }

  async importRequests(requests: CapturedRequest[]): Promise<StoredRequest[]> {
    await this.#batcher.drain();
    const engine = this.#engine.requests;
    return this.#inserted(await engine.insert(requests.map((r) => engine.prepare(r)), { live: false, isKnown: (bin) => this.#binCache.isKnown(bin) }));
  }

  async deleteRequest(id: string): Promise<boolean> {
    return this.#engine.requests.delete(id);
  }

  async recordForward(id: string, result: ForwardResult): Promise<void> {
    await this.#engine.requests.recordForward(id, result);
  }

  async clearBin(bin: string): Promise<number> {
    await this.#batcher.drain();
    return this.#engine.requests.clearBin(bin);
  }

  async createSession(session: LoginSession): Promise<void> {
    await this.#engine.sessions.create(session);
  }

  async findSession(idHash: string): Promise<LoginSession | undefined> {
    return this.#engine.sessions.find(idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.#engine.sessions.delete(idHash);
  }

  onCapture(listener: CaptureListener): () => void {
    return this.#engine.listeners.add(listener);
  }

  /** Writes the captures made so far, refuses new ones, stops retention and closes the database. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#batcher.close();
      await this.#retention.stop();
      await this.#engine.close();
    })();
    return this.#closing;
  }
}
