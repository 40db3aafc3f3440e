/** Every scheme module, in the order reports are listed. */
import type { SignatureScheme } from '../types.ts';
import type { SchemeModule } from './scheme.ts';
import { zendesk } from './zendesk.ts';
import { github } from './github.ts';
import { stripe } from './stripe.ts';
import { slack } from './slack.ts';
import { shopify } from './shopify.ts';
import { standardWebhooks } from './standard-webhooks.ts';
import { twilio } from './twilio.ts';
import { intercom } from './intercom.ts';

export const SCHEMES: readonly SchemeModule[] = [zendesk, github, stripe, slack, shopify, standardWebhooks, twilio, intercom];

export function schemeModule(scheme: SignatureScheme): SchemeModule {
  const module = SCHEMES.find((candidate) => candidate.scheme === scheme);
  if (!module) throw new Error(`Unknown signature scheme: ${scheme}`);
  return module;
}

export const SIGNATURE_SCHEMES: readonly SignatureScheme[] = SCHEMES.map((module) => module.scheme);
