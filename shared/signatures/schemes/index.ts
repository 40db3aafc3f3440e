import { SIGNATURE_SCHEMES, type SignatureScheme } from '../scheme-names.ts';
import type { SchemeModule } from './scheme.ts';
import { zendesk } from './zendesk.ts';
import { github } from './github.ts';
import { stripe } from './stripe.ts';
import { slack } from './slack.ts';
import { shopify } from './shopify.ts';
import { standardWebhooks } from './standard-webhooks.ts';
import { twilio } from './twilio.ts';
import { intercom } from './intercom.ts';

const modules: Readonly<Record<SignatureScheme, SchemeModule>> = {
  zendesk,
  github,
  stripe,
  slack,
  shopify,
  'standard-webhooks': standardWebhooks,
  twilio,
  intercom,
};

/** Every scheme module, in the order reports are listed. */
export const SCHEMES: readonly SchemeModule[] = SIGNATURE_SCHEMES.map((scheme) => modules[scheme]);

export function schemeModule(scheme: SignatureScheme): SchemeModule {
  return modules[scheme];
}
