/** Shopify: `X-Shopify-Hmac-Sha256` = base64(HMAC-SHA256(app secret, raw body)). */
import { toBase64 } from '../bytes.ts';
import { hmac } from '../hmac.ts';
import type { ParsedSignature, SchemeModule } from './scheme.ts';
import { decodeMac, decodedKeyMistakes, repeatedHeader, textKey } from './scheme.ts';

const HEADER = 'X-Shopify-Hmac-Sha256';

export const shopify: SchemeModule = {
  scheme: 'shopify',
  sender: 'Shopify',
  signatureHeader: HEADER,
  recipe: "base64 of HMAC-SHA256 keyed by the app's client secret as text, over the raw body bytes",

  parse({ headers }) {
    const field = headers.get(HEADER);
    if (!field) return null;
    const parsed: ParsedSignature = { headers: [field.name], hash: 'SHA-256', macs: [], findings: [], malformed: true };
    if (field.values.length > 1) parsed.findings.push(repeatedHeader(field.name, field.values.length));
    const decoded = decodeMac(field.values[0] ?? '', 'base64', 'SHA-256', field.name, 'Shopify');
    if ('finding' in decoded) parsed.findings.push(decoded.finding);
    else {
      parsed.macs.push(decoded.mac);
      parsed.malformed = false;
    }
    return parsed;
  },

  message: ({ body }) => body,
  key: textKey,
  mistakenKeys: (secret) => decodedKeyMistakes(secret, 'Shopify'),

  async sign({ body }, key) {
    return [[HEADER, toBase64(await hmac('SHA-256', key, body))]];
  },
};
