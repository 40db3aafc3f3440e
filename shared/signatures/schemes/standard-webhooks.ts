/**
 * Standard Webhooks (and Svix, its origin, with `svix-` headers): `webhook-signature` holds
 * space-separated `v1,<base64>` entries, each HMAC-SHA256 of `"{webhook-id}.{webhook-timestamp}.{body}"`
 * keyed by the base64-decoded secret after its `whsec_` prefix.
 */
import type { Finding } from '../types.ts';
import { concatBytes, fromBase64, fromLooseBase64, toBase64, utf8 } from '../bytes.ts';
import { hmac } from '../hmac.ts';
import type { MistakenKey, ParsedSignature, SchemeModule } from './scheme.ts';
import { decodeMac, malformed, repeatedHeader } from './scheme.ts';

const PREFIX = 'whsec_';

function withoutPrefix(secret: string): string {
  return secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
}

export const standardWebhooks: SchemeModule = {
  scheme: 'standard-webhooks',
  sender: 'Standard Webhooks',
  signatureHeader: 'webhook-signature',
  recipe:
    'base64 of HMAC-SHA256 keyed by the base64-decoded secret after "whsec_" (the bytes, not the text), over webhook-id, ".", webhook-timestamp, ".", then the raw body bytes, after "v1,"',
  timestamp: { format: 'unix', tolerance: { seconds: 300, documented: true }, header: 'webhook-timestamp' },

  parse({ headers }) {
    // Svix sends the same scheme under its own header names.
    const family = headers.has('webhook-signature') ? 'webhook' : headers.has('svix-signature') ? 'svix' : undefined;
    if (!family) return null;
    const signature = headers.get(`${family}-signature`);
    const id = headers.get(`${family}-id`);
    const timestamp = headers.get(`${family}-timestamp`);
    const parsed: ParsedSignature = {
      headers: [signature, id, timestamp].flatMap((field) => (field ? [field.name] : [])),
      hash: 'SHA-256',
      macs: [],
      timestamp: timestamp?.values[0],
      id: id?.values[0],
      findings: [],
      malformed: true,
    };
    if (!signature) return parsed;
    if (!id) {
      parsed.findings.push({
        code: 'webhook-id-missing',
        severity: 'error',
        message: `The request has no ${family}-id: the message id is part of the signed message, so a receiver can't rebuild it.`,
        fix: `Check that nothing between the sender and your receiver drops the ${family}-id header.`,
      });
    }
    if (signature.values.length > 1) parsed.findings.push(repeatedHeader(signature.name, signature.values.length));
    const entries = (signature.values[0] ?? '').split(' ').filter((entry) => entry !== '');
    const v1 = entries.filter((entry) => entry.startsWith('v1,'));
    for (const [index, entry] of v1.entries()) {
      const label = v1.length > 1 ? `${signature.name} (entry ${index + 1})` : signature.name;
      const decoded = decodeMac(entry.slice(3), 'base64', 'SHA-256', label, 'Standard Webhooks');
      if ('finding' in decoded) parsed.findings.push(decoded.finding);
      else parsed.macs.push(decoded.mac);
    }
    parsed.malformed = parsed.macs.length === 0;
    if (v1.length === 0) {
      const asymmetric = entries.some((entry) => entry.startsWith('v1a,'))
        ? ' It has only v1a entries (Ed25519), which need the public key rather than a shared secret.'
        : '';
      parsed.findings.push(malformed(`${signature.name} has no "v1,<base64>" entry.${asymmetric}`));
    }
    return parsed;
  },

  message: ({ id, timestamp, body }) => concatBytes(utf8(`${id}.${timestamp}.`), body),

  key(secret) {
    const encoded = withoutPrefix(secret.trim());
    const key = fromBase64(encoded) ?? fromLooseBase64(encoded);
    if (key && key.length > 0) return { key };
    const finding: Finding = {
      code: 'secret-malformed',
      severity: 'error',
      message: `The secret isn't "whsec_" followed by base64 (${secret.length} characters), so it can't be decoded into the key; using its text instead.`,
      fix: 'Copy the whole secret from the sender\'s dashboard: "whsec_" followed by base64.',
    };
    return { key: utf8(secret), finding };
  },

  mistakenKeys(secret) {
    const texts = [...new Set([secret, withoutPrefix(secret)])];
    return texts.map(
      (text): MistakenKey => ({
        key: utf8(text),
        status: 'invalid',
        finding: {
          code: 'secret-needs-decoding',
          severity: 'error',
          message: `The signature matches the secret's text${text === secret ? '' : ' without "whsec_"'} used as the key: Standard Webhooks keys the HMAC with the base64-decoded bytes after "whsec_".`,
          fix: 'Strip "whsec_", base64-decode the rest and use those bytes as the HMAC key (the official libraries do this for you).',
        },
      }),
    );
  },

  async sign(fields, key) {
    const mac = await hmac('SHA-256', key, standardWebhooks.message(fields));
    return [
      ['webhook-id', fields.id],
      ['webhook-timestamp', fields.timestamp],
      ['webhook-signature', `v1,${toBase64(mac)}`],
    ];
  },
};
