import type { RequestDetail } from '../../shared/api.ts';
import type { SignatureInput, VerifyOptions } from '../../shared/signatures/index.ts';
import type { SignatureSettings } from '../state/signature-secrets.ts';
import { base64ToBytes } from './base64.ts';

/**
 * What signature checks need of a stored request, built exactly as the server builds it: the stored bytes,
 * the URL the sender called, and the arrival time to judge timestamps by.
 */
export function signatureInputOf(detail: RequestDetail): SignatureInput {
  return {
    method: detail.method,
    url: detail.url,
    headers: detail.headers,
    body: base64ToBytes(detail.body.base64),
    bodyTruncated: detail.body.truncated,
    now: Date.parse(detail.receivedAt),
  };
}

/** The options of `verifySignatures` for the settings the user gave (a blank URL means the one authbin saw). */
export function verifyOptions(settings: SignatureSettings): VerifyOptions {
  const url = settings.url?.trim();
  return {
    secret: settings.secret,
    ...(settings.scheme && { scheme: settings.scheme }),
    ...(url && { url }),
  };
}
