import type { StoredBody } from '../api.ts';
import type { HeaderPair } from '../auth/types.ts';
import { fromBase64 } from './bytes.ts';
import type { SignatureInput } from './types.ts';

/** What of a stored request (as the API gives it) its signatures are over. */
export interface SignedRequest {
  method: string;
  /** The URL the sender called, as authbin rebuilt it. */
  url: string;
  headers: HeaderPair[];
  body: StoredBody;
  /** ISO-8601. */
  receivedAt: string;
}

/**
 * What signature checks need of a stored request, built exactly as the server builds it: the stored bytes,
 * the URL the sender called, and the arrival time to judge timestamps by.
 *
 * @example
 * signatureInputOf(detail).body; // the stored body's bytes
 */
export function signatureInputOf(request: SignedRequest): SignatureInput {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: fromBase64(request.body.base64) ?? new Uint8Array(),
    bodyTruncated: request.body.truncated,
    now: Date.parse(request.receivedAt),
  };
}
