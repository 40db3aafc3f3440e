import type { StoredRule } from '../rules/stored-rules.ts';
import type { Bin, BinResponse, ForwardResult, RequestPage } from '../../shared/api.ts';
import type { BinSettings } from './bin-cache.ts';
import type { CaptureListeners } from './capture-listeners.ts';
import type { CandidateSource } from './filtered-scan.ts';
import type { RetentionSteps } from './retention-schedule.ts';
import type { BinChange, BinQuery, CapturedRequest, LoginSession, RequestFilter, StoredPage, StoredRequest } from './store.ts';

/**
 * What an engine brings to the store core (store-core.ts): its SQL and its transactions, by job,
 * the same jobs on both engines (sqlite/*.ts and postgres/*.ts, file for file). Everything else —
 * batching, caches, paging, filtering, retention's rules and timing, listeners — is the core's.
 * A method may answer synchronously (SQLite) or with a promise (PostgreSQL).
 */

type Answer<T> = T | Promise<T>;

/** What an insert says of the requests it stored (insert-batch.ts). */
export interface InsertedRequests {
  stored: StoredRequest[];
  /** Each bin the requests went to: its request count as of this transaction, and its settings when the insert read them back. */
  bins: Map<string, { requestCount: number; settings?: BinSettings }>;
}

export interface RequestWriter<Row> {
  /** Captures committed together at most. */
  maxBatch: number;
  /** Readies a capture as it arrives, so a batch is ready when its turn comes. */
  prepare(request: CapturedRequest): Row;
  /**
   * Inserts rows in one transaction, counting them into their bins and creating the bins that do not
   * exist (`isKnown` says which do). `live` for captures (live events), not for imports.
   */
  insert(rows: Row[], options: { live: boolean; isKnown: (bin: string) => boolean }): Answer<InsertedRequests>;
}

/** Bins (bins.ts). */
export interface BinTable {
  list(query: BinQuery): Answer<Bin[]>;
  get(id: string): Answer<Bin | undefined>;
  /** The defaults when there is no such bin. */
  settings(id: string): Answer<BinSettings>;
  /** Creates the bin a capture names unless `maxBins` exist already; whether it exists then. */
  admit(id: string, maxBins: number): Answer<boolean>;
  /** Undefined when one with that id exists already. */
  create(id: string, response: BinResponse | null): Answer<Bin | undefined>;
  /** Undefined when there is no such bin. */
  update(id: string, change: BinChange): Answer<Bin | undefined>;
  /** Deletes a bin and its requests; false when there was none. */
  delete(id: string): Answer<boolean>;
}

/** Stored requests: read-requests.ts and change-requests.ts. */
export interface RequestTable {
  /** A page of a bin's requests, newest first (paging.ts). */
  page(bin: string, limit: number, before: string | undefined): Answer<StoredPage>;
  /** The same page as a request list shows it, when the engine keeps summaries; else the core analyses the page. */
  summaryPage?(bin: string, limit: number, before: string | undefined): Answer<RequestPage>;
  /** Where a filtered scan of a bin reads its candidates, in order (filtered-scan.ts). */
  candidates(bin: string, filter: RequestFilter): CandidateSource[];
  /** Oldest first: the requests of a bin with an id above `afterId`. */
  after(bin: string, afterId: string, limit: number): Answer<StoredRequest[]>;
  get(id: string): Answer<StoredRequest | undefined>;
  /** False when there was no such request. */
  delete(id: string): Answer<boolean>;
  /** Deletes every request of a bin; how many there were. */
  clearBin(bin: string): Answer<number>;
  recordForward(id: string, result: ForwardResult): Answer<void>;
}

/** A bin's rules (rules.ts), with their secrets as kept (server/rules/stored-rules.ts). */
export interface RulesTable {
  /** In order; none when the bin has none (or does not exist). */
  list(bin: string): Answer<StoredRule[]>;
  /** Replaces the bin's rules in one transaction. */
  replace(bin: string, rules: StoredRule[]): Answer<void>;
  /** Sets every counter of the bin's rules back to 0. */
  reset(bin: string): Answer<void>;
  /**
   * Where several instances share the database (PostgreSQL): calls `changed` with each bin whose rules
   * any instance replaced or deleted, and with null when changes may have been missed (a lost connection).
   */
  watch?(changed: (bin: string | null) => void): void;
}

/** Login sessions (sessions.ts). */
export interface SessionTable {
  /** Keeps a new session, and forgets the expired ones. */
  create(session: LoginSession): Answer<void>;
  find(idHash: string): Answer<LoginSession | undefined>;
  delete(idHash: string): Answer<void>;
}

export interface EngineParts<Row, Id> {
  requests: RequestTable & RequestWriter<Row>;
  bins: BinTable;
  sessions: SessionTable;
  rules: RulesTable;
  /** The key of rules' secrets (server/rules/secrets.ts), read or made on first use; null when there is none (PostgreSQL without `AUTHBIN_SECRET_KEY`). */
  ruleKey: () => Uint8Array | null;
  retention: RetentionSteps<Id>;
  /** Who is told of each committed capture. */
  listeners: CaptureListeners;
  /** True when the core tells the listeners as a batch commits; false when the engine does (PostgreSQL: through every instance's live feed). */
  tellOnCommit: boolean;
  /** Closes the database, once the core has written every capture and stopped retention. */
  close(): Promise<void>;
}
