/**
 * Types of webhook signature verification: the `signatures` part of a request's analysis
 * and of `POST /api/requests/{id}/verify`.
 */
import type { Finding, HeaderPair } from '../auth/types.ts';
import type { SignatureScheme } from './scheme-names.ts';

export type { Finding, HeaderPair } from '../auth/types.ts';
export type { SignatureScheme } from './scheme-names.ts';

/**
 * `unverified`: detected, not checked (no secret yet, or the stored body is truncated);
 * `valid`/`invalid`: the signature bytes do or don't match the secret;
 * `malformed`: the signature header can't be read.
 * A correct signature with a stale timestamp is `valid` plus a `timestamp-outside-tolerance` finding.
 */
export type SignatureStatus = 'unverified' | 'valid' | 'invalid' | 'malformed';

export interface SignatureReport {
  scheme: SignatureScheme;
  /** Names of the headers this report is about, as sent. */
  headers: string[];
  status: SignatureStatus;
  /** The signed timestamp as ISO-8601, when the scheme has one and it parses. */
  timestamp?: string;
  /** How old the timestamp was when the request arrived (negative: from the future). */
  ageSeconds?: number;
  findings: Finding[];
}

/** A captured request, as its bytes were stored. */
export interface SignatureInput {
  method: string;
  /** The full URL as authbin saw it, e.g. `http://localhost:8080/b/abc?x=1`. */
  url: string;
  /** Headers as captured: original names, order and duplicates. */
  headers: HeaderPair[];
  /** The raw body bytes as stored: signatures are over these, never a re-serialised copy. */
  body: Uint8Array;
  /** True when the stored body is a cut-off prefix of what was sent. */
  bodyTruncated: boolean;
  /**
   * When the request arrived, in ms since the epoch (defaults to now). Pass the request's
   * receipt time so a stored request's timestamp is judged as its receiver would have judged it.
   */
  now?: number;
}

export interface VerifyOptions {
  /** The signing secret, auth token or client secret, exactly as the sender's dashboard shows it. */
  secret: string;
  /** Check only this scheme (and report it even when its headers are missing). */
  scheme?: SignatureScheme;
  /** The URL the sender called, when it differs from the one authbin saw (Twilio, behind a proxy). */
  url?: string;
}

export interface SignOptions {
  scheme: SignatureScheme;
  secret: string;
  body: Uint8Array | string;
  /**
   * A string is sent verbatim (ISO-8601 for Zendesk, unix seconds for the others);
   * a Date is written in the scheme's format. Defaults to now.
   */
  timestamp?: string | Date;
  /** The URL the request is sent to: required for Twilio, which signs it. */
  url?: string;
  /** Standard Webhooks message id; defaults to a random `msg_…`. */
  id?: string;
}
