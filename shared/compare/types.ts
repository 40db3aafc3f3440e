/**
 * What comparing two requests gives back: the answer of `GET /api/compare`, what `authbin diff --json`
 * prints and what the compare page shows. It imports nothing from api.ts, which re-exports it.
 */
import type { Finding } from '../auth/types.ts';
import type { Refusal } from '../http/refusal.ts';
import type { SignatureScheme } from '../signatures/types.ts';

/** How a name (header, query parameter, form field) fares from A to B. */
export type Change = 'added' | 'removed' | 'changed' | 'same';

export interface NamedDifference<Value = string> {
  /** The name as A spells it (as B does when only B has it). */
  name: string;
  change: Change;
  /** Every value A sends under this name, in order; duplicates kept. */
  a: Value[];
  b: Value[];
}

export interface AuthorizationComparison {
  /** Both send the same Authorization header(s), byte for byte. */
  same: boolean;
  /** Plain sentences, the one that matters first; they never show a secret. */
  summary: string[];
  /** 1-based character where the two secrets (tokens) first differ; null when they do not. */
  firstDifference: number | null;
  /** Findings of the analysis that one side has and the other does not. */
  onlyInA: Finding[];
  onlyInB: Finding[];
}

export interface JsonChange {
  /** `$.ticket.status`, `$.tags[0]`. */
  path: string;
  change: 'added' | 'removed' | 'changed';
  /** The value as JSON; absent on the side that lacks it. */
  a?: string;
  b?: string;
}

export interface DiffLine {
  op: 'same' | 'added' | 'removed';
  /** The line with `\r`, `\n` and invisible characters made visible. */
  text: string;
}

/** One field or file of a multipart body. */
export interface MultipartValue {
  /** The file name as sent; null for a plain field. */
  filename: string | null;
  contentType: string | null;
  size: number;
  /** A plain field's value when it is UTF-8, invisible characters made visible; null for files and binary values. */
  text: string | null;
  /** SHA-256 of the content, in hex; null where the runtime has no Web Crypto (a browser on plain http, not localhost). */
  sha256: string | null;
}

/** Where two binary bodies first differ, and their bytes from there (up to 16, in hex). */
export interface ByteDifference {
  /** 0-based offset of the first differing byte. */
  offset: number;
  a: string;
  b: string;
}

/** The bodies compared by what they hold; `changes` lists the differences in the form that fits the kind. */
export type BodyComparison =
  | { kind: 'json'; same: boolean; sameBytes: boolean; changes: JsonChange[] }
  | { kind: 'form'; same: boolean; sameBytes: boolean; changes: NamedDifference[] }
  | { kind: 'multipart'; same: boolean; sameBytes: boolean; changes: NamedDifference<MultipartValue>[] }
  | { kind: 'text'; same: boolean; sameBytes: boolean; changes: DiffLine[] }
  | { kind: 'bytes'; same: boolean; sameBytes: boolean; sizes: [number, number]; changes: ByteDifference[] }
  /**
   * A side the HTTP parser refused has no body to compare: what it stores is its head as received.
   * `same` (and `sameBytes`) when both were refused: neither body was read, so none differs.
   */
  | { kind: 'refused'; same: boolean; sameBytes: boolean; refused: ComparedSideName[] };

/** One side of a comparison. */
export type ComparedSideName = 'a' | 'b';

/** What goes into a webhook signature's message, besides the secret. */
export type SignedInput = 'timestamp' | 'id' | 'method' | 'url' | 'content-type' | 'body';

/** Two signatures of the same scheme, one on each side. */
export interface SchemeComparison {
  scheme: SignatureScheme;
  /** Both carry the same signature value(s). */
  sameSignature: boolean;
  /** The inputs of the signed message that differ from A to B, as the scheme builds its message. */
  differentInputs: SignedInput[];
  /** True when a stored body is truncated or was never read (the HTTP parser refused its request): what was signed cannot be rebuilt, so the body is not compared. */
  bodyUnknown: boolean;
  /** One sentence; empty when nothing differs. */
  summary: string;
}

export interface SignatureComparison {
  /** Schemes both requests carry. */
  schemes: SchemeComparison[];
  /** Schemes one side carries and the other does not. */
  onlyInA: SignatureScheme[];
  onlyInB: SignatureScheme[];
  summary: string[];
}

export interface RequestComparison {
  /** Nothing differs (header name case and order count only when strict). */
  same: boolean;
  /** Plain sentences, what matters most first (a refusal by the HTTP parser, the Authorization header, then signatures). */
  summary: string[];
  /**
   * Why the HTTP parser refused a side (null for one it accepted). Such a side is compared by its head as
   * read from the bytes that arrived (method, path, header lines); its body was never read.
   */
  refusal: { same: boolean; a: Refusal | null; b: Refusal | null };
  method: { same: boolean; a: string; b: string };
  path: { same: boolean; a: string; b: string };
  authorization: AuthorizationComparison;
  signatures: SignatureComparison;
  /** Aligned by name in any letter case; Authorization values are masked (compared in `authorization`). */
  headers: NamedDifference[];
  /** Differences of header name case and order: shown, but not changes unless strict (so is query order). */
  headerNotes: string[];
  query: NamedDifference[];
  body: BodyComparison;
}
