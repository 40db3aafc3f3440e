/** What a captured request is, before and after the store gives it an id: the records that capture, analysis and both engines share. */
import type { ForwardResult } from '../../shared/api.ts';
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
}

/** A stored request: what was captured plus the id the store gave it. */
export interface StoredRequest extends CapturedRequest {
  id: string;
  /** The relay to the bin's `forwardTo` URL, once recorded. */
  forward?: ForwardResult | null;
}
