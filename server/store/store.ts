import type { RequestAnswer, Rule } from '../../shared/rules/types.ts';
import type { RuleSecrets } from '../rules/secrets.ts';
import type { CaptureRules } from '../rules/stored-rules.ts';
import type { Bin, BinResponse, ForwardResult, RequestPage, RequestSummary } from '../../shared/api.ts';
import type { HeaderPair } from '../../shared/auth/types.ts';

/** A request as it arrived at a bin, before it is stored. */
export interface CapturedRequest {
  bin: string;
  /** Milliseconds since the epoch. */
  receivedAt: number;
  method: string;
  /** Path after the bin, starting with `/`, as sent (still percent-encoded). */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  httpVersion: string;
  remoteAddress: string | null;
  remotePort: number | null;
  /** Names and values as Node read them (one char per byte, latin1), in the order sent. */
  headers: HeaderPair[];
  /** The stored bytes: the whole body, or its first `maxBodyBytes` when truncated. */
  body: Uint8Array;
  /** Size of the body as sent (the declared length when it was cut short). */
  bodySize: number;
  truncated: boolean;
  /**
   * The HTTP parser's error code (`HPE_CR_EXPECTED`…) when the parser refused the request: then the
   * body holds the bytes as received from its request line on, and the rest is a best-effort reading of them.
   */
  parserError?: string | null;
  /**
   * How it was answered, as the `answer` column keeps it (a `RequestAnswer` as JSON), written with it:
   * the bin's own response (see `ownResponseAnswer`), or what an import brought. Absent: the default
   * `200 {"ok":true,"id"}`, or an answer told by the request itself (413, preflight, refused) or
   * the answer recorded when none of its `ruleClaims` answers.
   */
  storedAnswer?: string;
  /**
   * The rules of its bin that may answer it, in order, chosen from the request as received
   * (server/rules/answer.ts) and claimed in its own insert transaction (rule-claims.ts): the first
   * that may still answer does, and what it records replaces `storedAnswer`.
   */
  ruleClaims?: RuleClaim[];
}

/** A rule that may answer a capture, as its insert claims it. */
export interface RuleClaim {
  ruleId: string;
  /** The rule has `times`: once they are used up its claim fails, and the next rule is tried. */
  limited: boolean;
  /** What the capture records when this rule answers: a `RequestAnswer` as JSON. */
  answer: string;
}

/** A stored request: what was captured plus the id the store gave it. */
export interface StoredRequest extends CapturedRequest {
  id: string;
  /** The relay to the bin's `forwardTo` URL, once recorded. */
  forward?: ForwardResult | null;
  /** How the sender was answered, recorded on bins with rules (#19). */
  answer?: RequestAnswer | null;
  /** False for a request stored by an authbin that did not record how it answered: a missing `answer` then says nothing. */
  answerRecorded?: boolean;
  /** Just stored: which of its `ruleClaims` answered; null when none did (or it had none). */
  answeredBy?: number | null;
}

/** A captured request just stored, with the id the store gave it (spelled out: V8 builds this much faster than a spread, on every capture). */
export function storedWithId(request: CapturedRequest, id: string, answeredBy: number | null = null): StoredRequest {
  return {
    id,
    bin: request.bin,
    receivedAt: request.receivedAt,
    method: request.method,
    path: request.path,
    query: request.query,
    httpVersion: request.httpVersion,
    remoteAddress: request.remoteAddress,
    remotePort: request.remotePort,
    headers: request.headers,
    body: request.body,
    bodySize: request.bodySize,
    truncated: request.truncated,
    parserError: request.parserError ?? null,
    forward: null,
    answerRecorded: true,
    answeredBy,
  };
}

/** What `updateBin` can change; a field left out stays as it is. */
export interface BinChange {
  /** null restores the default response. */
  response?: BinResponse | null;
  /** null stops relaying. */
  forwardTo?: string | null;
}

/** What `GET /api/bins/{bin}/requests` can filter on. Every given criterion must hold. */
export interface RequestFilter {
  /** Words, each the start of a word in the path, query, headers or body text (case-insensitive). */
  q?: string;
  /** Exact method, case-insensitive. */
  method?: string;
  /** A header with this name (case-insensitive) whose value contains `value` (case-insensitive). */
  header?: { name: string; value: string };
  /** Received at or after this time (ms since the epoch). */
  since?: number;
  /** An Authorization finding code, e.g. `utf16`. */
  finding?: string;
  /** A detected signature: a scheme (`zendesk`) or a status (`unverified`, `malformed`). */
  signature?: string;
}

export interface RequestQuery {
  limit: number;
  /** Only requests older than this id (keyset pagination cursor). */
  before?: string;
  /** Only requests that match every criterion given. */
  filter?: RequestFilter;
}

/** Where a bin sits in the bin list: its last activity (ms) and id. */
export interface BinPosition {
  activity: number;
  id: string;
}

export interface BinQuery {
  limit: number;
  /** Only bins after this one in list order (keyset pagination cursor). */
  after?: BinPosition;
  /** Only bins whose id holds this text, letter case aside. */
  idContains?: string;
}

export interface StoredPage {
  requests: StoredRequest[];
  next: string | null;
}

export type CaptureListener = (request: StoredRequest) => void;

/** Stored requests read without the store: for the CLI, beside a server that owns the database. */
export interface RequestReader {
  getRequest(id: string): Promise<StoredRequest | undefined>;
  close(): Promise<void>;
}

/** A browser's login, kept by the hash of its cookie value so that the database never holds a usable one. */
export interface LoginSession {
  idHash: string;
  /** Ties the session to the token it was opened with: another token ends it. */
  tokenCheck: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/**
 * Where bins and requests live. Async at its edges so that a networked engine can implement it
 * as well as the embedded SQLite one; routes, live events and the CLI only ever see this.
 */
export interface Store {
  /** Stores a request; resolves once it is committed (a `2xx` may then be sent). */
  capture(request: CapturedRequest): Promise<StoredRequest>;
  /** The response a bin gives to what it captures, or null for the default. */
  binResponse(bin: string): Promise<BinResponse | null>;
  /** Where a bin relays its captures, or null. */
  binForwardTo(bin: string): Promise<string | null>;

  /**
   * Makes sure the bin a capture names exists: creates it unless `maxBins` bins exist already, and
   * resolves to false then. Bins known to exist are answered from memory (no query per capture).
   */
  admitBin(id: string, maxBins: number): Promise<boolean>;
  /** A page of bins, most recent activity (last request, or creation) first. */
  listBins(query: BinQuery): Promise<Bin[]>;
  getBin(id: string): Promise<Bin | undefined>;
  /** Creates a bin; undefined when one with that id exists already. */
  createBin(id: string, response: BinResponse | null): Promise<Bin | undefined>;
  /** Changes a bin's settings; undefined when there is no such bin. */
  updateBin(id: string, change: BinChange): Promise<Bin | undefined>;
  /** Deletes a bin and its requests; false when there was no such bin. */
  deleteBin(id: string): Promise<boolean>;

  /** A bin's rules in order, secrets masked, with their counters. */
  getRules(bin: string): Promise<Rule[]>;
  /**
   * Replaces a bin's rules (validated by `readRules`); a secret sent back masked keeps the stored one
   * of that rule, and throws `RuleSecretProblem` when there is none. `fromExport`: rules read from an
   * export, whose secrets were left out, are kept with those conditions waiting for their secret.
   * Rejects with `SecretKeyMissing` when a rule holds a secret and there is no key (PostgreSQL without `AUTHBIN_SECRET_KEY`).
   */
  setRules(bin: string, rules: Rule[], options?: { fromExport?: boolean }): Promise<Rule[]>;
  /** Sets every counter of a bin's rules back to 0. */
  resetRules(bin: string): Promise<Rule[]>;

  /** A bin's rules as capture applies them: as stored, with their kept secrets, and compiled, once each time they change (every instance hears of it). */
  compiledRules(bin: string): Promise<CaptureRules>;
  /** The key of rules' secrets; throws `SecretKeyMissing` when there is none. */
  ruleSecrets(): RuleSecrets;

  /** Newest first, `limit` at most, older than `before` when given. */
  listRequests(bin: string, query: RequestQuery): Promise<StoredPage>;
  /** The same page as `listRequests`, as a request list shows it. */
  listSummaries(bin: string, query: RequestQuery): Promise<RequestPage>;
  /** Oldest first: the requests of a bin with an id above `afterId` (to replay missed live events). */
  requestsAfter(bin: string, afterId: string, limit: number): Promise<StoredRequest[]>;
  getRequest(id: string): Promise<StoredRequest | undefined>;
  /** Stores requests brought from an export, with their original times; no live events. */
  importRequests(requests: CapturedRequest[]): Promise<StoredRequest[]>;
  deleteRequest(id: string): Promise<boolean>;
  /** Records how relaying a request to its bin's `forwardTo` went. */
  recordForward(id: string, result: ForwardResult): Promise<void>;
  /** Deletes every request of a bin; resolves to how many were deleted. */
  clearBin(bin: string): Promise<number>;

  /** Keeps a new login session (and forgets the expired ones). */
  createSession(session: LoginSession): Promise<void>;
  /** The session with this id hash, expired or not; undefined when there is none. */
  findSession(idHash: string): Promise<LoginSession | undefined>;
  /** Ends a session (logout); nothing happens when there is none. */
  deleteSession(idHash: string): Promise<void>;

  /** Calls the listener after each capture is committed; returns the unsubscribe function. */
  onCapture(listener: CaptureListener): () => void;
  close(): Promise<void>;
}

export type { RequestSummary };
