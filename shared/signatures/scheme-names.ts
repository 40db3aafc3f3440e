/** The senders whose signatures authbin recognises, in the order reports list them. */
export const SIGNATURE_SCHEMES = ['zendesk', 'github', 'stripe', 'slack', 'shopify', 'standard-webhooks', 'twilio', 'intercom'] as const;

export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];

/** Each sender's name as people write it. */
export const SCHEME_LABEL: Readonly<Record<SignatureScheme, string>> = {
  zendesk: 'Zendesk',
  github: 'GitHub',
  stripe: 'Stripe',
  slack: 'Slack',
  shopify: 'Shopify',
  'standard-webhooks': 'Standard Webhooks',
  twilio: 'Twilio',
  intercom: 'Intercom',
};

/**
 * True for the scheme names the API, the CLI and the UI accept.
 *
 * @example
 * isSignatureScheme('zendesk'); // true
 * isSignatureScheme('Zendesk'); // false
 */
export function isSignatureScheme(value: unknown): value is SignatureScheme {
  return typeof value === 'string' && (SIGNATURE_SCHEMES as readonly string[]).includes(value);
}
