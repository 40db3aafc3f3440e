/**
 * Webhook signature verification (Zendesk, GitHub, Stripe, Slack, Shopify, Standard Webhooks,
 * Twilio, Intercom) in pure TypeScript on Web Crypto: the same code runs in Node and the browser.
 */
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
export { SCHEME_LABEL, SIGNATURE_SCHEMES, isSignatureScheme } from './scheme-names.ts';
