/**
 * Webhook signature verification (Zendesk, GitHub, Stripe, Slack, Shopify, Standard Webhooks,
 * Twilio, Intercom) in pure TypeScript on Web Crypto: the same code runs in Node and the browser.
 */
import type { SignatureScheme } from './types.ts';
import { SIGNATURE_SCHEMES } from './schemes/index.ts';

export type {
  Finding,
  HeaderPair,
  SignatureInput,
  SignatureReport,
  SignatureScheme,
  SignatureStatus,
  SignOptions,
  VerifyOptions,
} from './types.ts';
export { detectSignatures } from './detect.ts';
export { verifySignatures } from './verify.ts';
export { signRequest } from './sign.ts';
export { ZENDESK_TEST_SECRET } from './schemes/zendesk.ts';
export { SIGNATURE_SCHEMES } from './schemes/index.ts';

/**
 * True for the scheme names the API accepts, e.g. to validate `{ scheme }` in a request body.
 * @example isSignatureScheme('zendesk') // true
 */
export function isSignatureScheme(value: unknown): value is SignatureScheme {
  return typeof value === 'string' && (SIGNATURE_SCHEMES as readonly string[]).includes(value);
}
