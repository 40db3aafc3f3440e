import { describe, expect, it } from 'vitest';
import { signatureOutcome } from '../../../shared/rules/signature-reason.ts';
import { detectSignatures, signRequest, verifySignatures, ZENDESK_TEST_SECRET } from '../../../shared/signatures/index.ts';
import type { SignatureScheme } from '../../../shared/signatures/scheme-names.ts';

const now = Date.parse('2026-12-04T06:00:00Z');
const body = '{"ticket":{"id":35436}}';
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** A request signed by `signer`, as the rule sees it with `secret` and, when given, `scheme`. */
async function outcome(signer: { scheme: SignatureScheme; secret: string; timestamp?: Date }, secret: string, scheme?: SignatureScheme, sentBody = body) {
  const headers = await signRequest({ ...signer, body, timestamp: signer.timestamp ?? new Date(now) });
  const input = { method: 'POST', url: 'https://hooks.example.com/b/x', headers: [['Content-Type', 'application/json'] as [string, string], ...headers], body: new TextEncoder().encode(sentBody), bodyTruncated: false, now };
  const reports = await verifySignatures(input, { secret, ...(scheme && { scheme }) });
  return signatureOutcome(reports, detectSignatures(input).map((report) => report.scheme), scheme);
}

describe('signatureOutcome', () => {
  const secret = 'zendesk-webhook-signing-secret-1234';

  it('holds when the signature verifies', async () => {
    expect(await outcome({ scheme: 'zendesk', secret }, secret, 'zendesk')).toEqual({ holds: true, reason: 'the Zendesk signature verifies' });
  });

  it.each<[string, Parameters<typeof outcome>, string]>([
    ["Zendesk's test secret instead of the real one", [{ scheme: 'zendesk', secret: ZENDESK_TEST_SECRET }, secret, 'zendesk'], 'the Zendesk signature does not verify: it was made with Zendesk\'s test secret ("Test webhook" in Admin Center), not this one'],
    ['a base64 secret used decoded', [{ scheme: 'zendesk', secret: 'the secret as text' }, base64('the secret as text'), 'zendesk'], "the Zendesk signature does not verify: it matches the secret base64-decoded, while the sender keys the HMAC with the secret's text"],
    ['a Standard Webhooks secret used raw', [{ scheme: 'standard-webhooks', secret: `whsec_${base64(base64('raw key bytes'))}` }, `whsec_${base64('raw key bytes')}`, 'standard-webhooks'], 'the Standard Webhooks signature does not verify: it matches the secret\'s text used as the key, while Standard Webhooks keys the HMAC with the base64-decoded bytes after "whsec_"'],
    ['a body re-serialised after signing', [{ scheme: 'zendesk', secret }, secret, 'zendesk', '{ "ticket": { "id": 35436 } }'], 'the Zendesk signature does not verify: it matches the body re-serialised as compact JSON, not the bytes that were sent: the sender signed another serialisation than it sent'],
    ['a stale timestamp', [{ scheme: 'stripe', secret: 'whsec_stripe-secret', timestamp: new Date(now - 3_600_000) }, 'whsec_stripe-secret', 'stripe'], 'the Stripe signature verifies, but its timestamp is 1 hour old, outside the window Stripe allows: a replay, or a clock that is off'],
    ['another scheme than the rule asks for', [{ scheme: 'stripe', secret: 'whsec_stripe-secret' }, 'whsec_stripe-secret', 'zendesk'], 'the request carries a Stripe signature, not a Zendesk one'],
    ['another secret altogether', [{ scheme: 'zendesk', secret: 'someone-elses-secret' }, secret, 'zendesk'], 'the Zendesk signature does not verify: the secret differs, or the request was changed on the way'],
  ])('says why on %s', async (_name, args, reason) => {
    expect(await outcome(...args)).toEqual({ holds: false, reason });
  });

  it('says when no signature was sent at all', () => {
    expect(signatureOutcome([], [], undefined)).toEqual({ holds: false, reason: 'no signature was sent' });
    expect(signatureOutcome([], [], 'zendesk')).toEqual({ holds: false, reason: 'no Zendesk signature was sent' });
  });
});
