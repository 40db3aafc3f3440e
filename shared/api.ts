/**
 * The JSON API's response types: the one place both the server and the UI take them from.
 */
import type { Analysis, Severity } from './auth/types.ts';
import type { RequestComparison } from './compare/types.ts';
import type { Refusal } from './http/refusal.ts';
import type { RequestAnswer } from './rules/types.ts';
import type { SignatureReport } from './signatures/types.ts';

export type { Analysis } from './auth/types.ts';
export type { SignatureReport } from './signatures/types.ts';
export type { Refusal } from './http/refusal.ts';
export type * from './compare/types.ts';

/** A stored request's analysis: its Authorization header, and the webhook signatures it carries. */
export interface RequestAnalysis extends Analysis {
  /** Detected signature headers, `unverified` until a secret is given (`POST /api/requests/{id}/verify`). */
  signatures: SignatureReport[];
}

/** `POST /api/requests/{id}/verify` → the signatures checked against the given secret. */
export interface VerifyResult {
  signatures: SignatureReport[];
}

/** `{ "error": { "code", "message" } }`, with the HTTP status that matches. */
export interface ApiError {
  error: { code: string; message: string };
}

/** `GET /api/session`: whether this browser may use the API, and where senders reach this instance. */
export interface Session {
  authenticated: boolean;
  tokenRequired: boolean;
  /** The first `--public-url`, e.g. "https://bins.example.com"; null when none was given. */
  publicUrl: string | null;
}

/** What a bin answers to the requests it captures. Every field is optional; unset ones take the default. */
export interface BinResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Milliseconds to wait before answering, 0–30,000. */
  delayMs?: number;
  /**
   * Lets a page served as this response run scripts. It still runs sandboxed, in an origin of its
   * own, so it cannot read or change authbin through the browser that opens it.
   */
  allowScripts?: boolean;
}

export interface Bin {
  id: string;
  createdAt: string;
  requestCount: number;
  lastRequestAt: string | null;
  /** The bin's own response, or null for the default `200 {"ok":true,"id":…}`. */
  response: BinResponse | null;
  /** A URL the server relays every capture to, byte for byte; null for none. */
  forwardTo: string | null;
}

/** What happened when the server relayed a capture to its bin's `forwardTo` URL. */
export interface ForwardResult {
  target: string;
  /** The target's status, or null when it could not be reached. */
  status: number | null;
  durationMs: number;
  /** Why the target could not be reached. */
  error: string | null;
  at: string;
}

/** `GET /api/bins`: a page of bins, most recent activity first. */
export interface BinList {
  bins: Bin[];
  /** Pass as `before` for the next page; null when there is none. */
  next: string | null;
}

/** What a request's Authorization header holds, as shown in lists (the auth badge). */
export interface AuthSummary {
  /** The scheme as sent (`Basic`, `bearer`…), or null when no Authorization header was sent. */
  scheme: string | null;
  /** For Basic: the email (user part without `/token`); null otherwise. */
  user: string | null;
  /** `password` or `api-token` for Basic, `jwt` or `token` for Bearer, null otherwise. */
  kind: 'password' | 'api-token' | 'jwt' | 'token' | null;
  /** The worst severity among the analysis findings, null when there are none. */
  worst: Severity | null;
}

export interface RequestSummary {
  id: string;
  bin: string;
  method: string;
  /** Path after the bin, starting with `/` (just `/` for the bin itself). */
  path: string;
  /** Raw query string, without `?`. */
  query: string;
  receivedAt: string;
  /** Body size in bytes as received (the stored part may be truncated). */
  size: number;
  /** True for a request the HTTP parser refused (see `RequestDetail.refusal`). */
  rejected: boolean;
  contentType: string | null;
  auth: AuthSummary;
}

export interface RequestPage {
  requests: RequestSummary[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  next: string | null;
}

export interface StoredBody {
  size: number;
  truncated: boolean;
  base64: string;
  /** The body as text, present only when its bytes are valid UTF-8. */
  text?: string;
}

export interface RequestDetail {
  id: string;
  bin: string;
  method: string;
  path: string;
  query: string;
  /** The URL the sender called, as signatures that sign it (Twilio) are checked against. */
  url: string;
  httpVersion: string;
  remoteAddress: string | null;
  remotePort: number | null;
  receivedAt: string;
  /** Headers exactly as sent: original name case, order and duplicates. */
  headers: [string, string][];
  body: StoredBody;
  analysis: RequestAnalysis;
  /** The relay to the bin's `forwardTo` URL, once it has happened. */
  forward: ForwardResult | null;
  /**
   * True when the HTTP parser refused the request: `body` then holds the bytes as received from its
   * request line on (at most 16 KiB), and method, path and headers are a best-effort reading of them.
   */
  rejected: boolean;
  /** Why the parser refused it: its error code and the explanation authbin answered with; null when it did not. */
  refusal: Refusal | null;
  /** How authbin answered the sender: the rule that answered (#19), or the bin's response; absent on requests stored before rules. */
  answer?: RequestAnswer | null;
}

export interface CaptureAck {
  ok: true;
  id: string;
}

/** `POST /api/requests/{id}/replay`: the stored request, or an edited copy, sent to `url`. */
export interface ReplayInput {
  url: string;
  method?: string;
  /** Replaces the stored headers, in this order. */
  headers?: [string, string][];
  /** Replaces the stored body. */
  body?: { base64: string } | { text: string };
}

/** What the replay target answered. */
export interface ReplayResult {
  status: number;
  /** As the target sent them: name case, order and duplicates. */
  headers: [string, string][];
  /** Capped at 1 MiB; `size` is the whole body's when the target declared it. */
  body: StoredBody;
  timing: { totalMs: number };
}

/** `POST /api/bins/{bin}/import`. */
export interface ImportResult {
  imported: number;
  ids: string[];
  /**
   * When the file carries rules (an NDJSON export's rules line): how many, how many were restored
   * (none when the bin has rules of its own, which an import never replaces), and how many of those
   * wait for a secret the export left out.
   */
  rules?: { inFile: number; imported: number; needSecret: number };
}

/** Which stored request stands on one side of a comparison. */
export interface ComparedSide {
  id: string;
  bin: string;
  receivedAt: string;
}

/**
 * `GET /api/compare?a={id}&b={id}[&strict=1]`: what differs from A to B, Authorization values masked.
 * `authbin diff --json` prints the same.
 */
export interface CompareResult extends RequestComparison {
  requests: { a: ComparedSide; b: ComparedSide };
}
