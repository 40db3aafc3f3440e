/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=…][,v0=…]`, each v1 the HMAC-SHA256 of
 * `"{t}.{body}"` keyed by the whole `whsec_…` secret as text. Any v1 may match while a secret rolls.
 */
import { concatBytes, toHex, utf8 } from '../bytes.ts';
import { hmac } from '../hmac.ts';
import type { MistakenKey, ParsedSignature, SchemeModule } from './scheme.ts';
import { decodeMac, decodedKeyMistakes, malformed, repeatedHeader, textKey } from './scheme.ts';

const HEADER = 'Stripe-Signature';

export const stripe: SchemeModule = {
  scheme: 'stripe',
  sender: 'Stripe',
  signatureHeader: HEADER,
  recipe: 'lowercase hex of HMAC-SHA256 keyed by the whole whsec_… secret as text, over the t= value, ".", then the raw body bytes',
  timestamp: { format: 'unix', tolerance: { seconds: 300, documented: true }, header: `t= in ${HEADER}` },

  parse({ headers }) {
    const field = headers.get(HEADER);
    if (!field) return null;
    const parsed: ParsedSignature = { headers: [field.name], hash: 'SHA-256', macs: [], findings: [], malformed: true };
    if (field.values.length > 1) parsed.findings.push(repeatedHeader(field.name, field.values.length));
    const items = (field.values[0] ?? '').split(',').map((item) => {
      const at = item.indexOf('=');
      return at < 0 ? { key: item.trim(), value: '' } : { key: item.slice(0, at).trim(), value: item.slice(at + 1).trim() };
    });
    parsed.timestamp = items.find((item) => item.key === 't')?.value;
    const v1 = items.filter((item) => item.key === 'v1');
    for (const [index, item] of v1.entries()) {
      const label = v1.length > 1 ? `${HEADER} (v1 number ${index + 1})` : HEADER;
      const decoded = decodeMac(item.value, 'hex', 'SHA-256', label, 'Stripe');
      if ('finding' in decoded) parsed.findings.push(decoded.finding);
      else parsed.macs.push(decoded.mac);
    }
    parsed.malformed = parsed.macs.length === 0;
    if (v1.length === 0) {
      const only = items.some((item) => item.key === 'v0') ? ' It has only v0, the legacy test-mode scheme that receivers ignore.' : '';
      parsed.findings.push(malformed(`${HEADER} has no v1= signature.${only}`, 'Expected t=<unix seconds>,v1=<64 hex characters>.'));
    }
    return parsed;
  },

  message: ({ timestamp, body }) => concatBytes(utf8(`${timestamp}.`), body),
  key: textKey,

  mistakenKeys(secret) {
    const mistakes: MistakenKey[] = decodedKeyMistakes(secret, 'Stripe');
    if (secret.startsWith('whsec_')) {
      const rest = secret.slice('whsec_'.length);
      mistakes.push({
        key: utf8(rest),
        status: 'invalid',
        finding: {
          code: 'secret-prefix-stripped',
          severity: 'error',
          message: 'The signature matches the secret without its "whsec_" prefix: Stripe keys the HMAC with the whole secret, prefix included.',
          fix: 'Use the whole whsec_… string as the key.',
        },
      });
      // Standard Webhooks decodes the part after whsec_; people carry that habit over.
      mistakes.push(...decodedKeyMistakes(rest, 'Stripe'));
    }
    return mistakes;
  },

  async sign(fields, key) {
    const mac = await hmac('SHA-256', key, stripe.message(fields));
    return [[HEADER, `t=${fields.timestamp},v1=${toHex(mac)}`]];
  },
};
