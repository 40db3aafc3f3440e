/**
 * The header each webhook signature scheme signs with, lower-cased: enough to tell that a request
 * is signed without loading the schemes themselves (the analysis of every request needs only this).
 *
 * @example signatureHeaderNames.has('x-zendesk-webhook-signature') // true
 */
export const signatureHeaderNames: ReadonlySet<string> = new Set([
  'x-zendesk-webhook-signature',
  'x-hub-signature-256',
  'x-hub-signature',
  'stripe-signature',
  'x-slack-signature',
  'x-shopify-hmac-sha256',
  'webhook-signature',
  'x-twilio-signature',
]);
