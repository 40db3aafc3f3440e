/** Web Crypto (what the browser runs) and Node's crypto agree, on random keys, messages, bodies and secrets. */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { hmac, sha256 } from '../../../shared/signatures/hmac.ts';
import { SIGNATURE_SCHEMES, signRequest, verifySignatures, type SignatureScheme } from '../../../shared/signatures/index.ts';
import { nodeSignatureHeaders, nodeSignedRequest } from './node-senders.ts';

test('HMAC-SHA256 and HMAC-SHA1 match node:crypto, including empty and longer-than-a-block keys', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('SHA-256' as const, 'SHA-1' as const),
      fc.uint8Array({ maxLength: 150 }),
      fc.uint8Array({ maxLength: 300 }),
      async (hash, key, message) => {
        const web = await hmac(hash, key, message);
        const node = createHmac(hash === 'SHA-256' ? 'sha256' : 'sha1', key).update(message).digest();
        expect(Buffer.from(web).toString('hex')).toBe(node.toString('hex'));
      },
    ),
    { numRuns: 200 },
  );
});

test('SHA-256 digests match node:crypto', async () => {
  const { createHash } = await import('node:crypto');
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (message) => {
      expect(Buffer.from(await sha256(message)).toString('hex')).toBe(createHash('sha256').update(message).digest('hex'));
    }),
    { numRuns: 100 },
  );
});

/** A secret of the shape each scheme's dashboard issues, from random bytes. */
const secretFor = (scheme: SignatureScheme) =>
  scheme === 'standard-webhooks'
    ? fc.uint8Array({ minLength: 16, maxLength: 48 }).map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`)
    : fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((secret) => secret.trim() === secret);

const bodyFor = (scheme: SignatureScheme) =>
  scheme === 'twilio'
    ? fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 12 })), { maxLength: 5 }).map((pairs) => {
        // Distinct names: Twilio's order for repeated names is a detail the Node reference doesn't model.
        const unique = new Map(pairs);
        return new URLSearchParams([...unique]).toString();
      })
    : fc.string({ unit: 'binary', maxLength: 200 });

test.each(SIGNATURE_SCHEMES.map((scheme) => [scheme]))('%s: random requests signed by node:crypto verify, and signRequest writes the same headers', async (scheme) => {
  await fc.assert(
    fc.asyncProperty(secretFor(scheme), bodyFor(scheme), async (secret, body) => {
      const request = nodeSignedRequest(scheme, { secret, body });
      const reports = await verifySignatures(request, { secret, scheme });
      expect(reports.map((report) => report.status)).toEqual(['valid']);

      const timestamp = request.headers.find(([name]) => /timestamp/i.test(name))?.[1] ?? request.headers.find(([name]) => name === 'Stripe-Signature')?.[1].match(/t=(\d+)/)?.[1];
      const signed = await signRequest({
        scheme,
        secret,
        body: request.body,
        url: request.url,
        ...(timestamp ? { timestamp } : {}),
        ...(scheme === 'standard-webhooks' ? { id: 'msg_2a4K9fQ' } : {}),
      });
      for (const header of nodeSignatureHeaders(scheme, { secret, body })) expect(signed).toContainEqual(header);
    }),
    { numRuns: 40 },
  );
});
