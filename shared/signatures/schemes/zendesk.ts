/**
 * Zendesk webhooks: `X-Zendesk-Webhook-Signature` = base64(HMAC-SHA256(secret as text,
 * `X-Zendesk-Webhook-Signature-Timestamp` value + raw body)), no separator.
 */
import { concatBytes, toBase64, utf8 } from '../bytes.ts';
import { hmac } from '../hmac.ts';
import type { MistakenKey, ParsedSignature, SchemeModule } from './scheme.ts';
import { decodeMac, decodedKeyMistakes, repeatedHeader, textKey } from './scheme.ts';

/**
 * The secret Zendesk's docs give for "Test webhook" requests from Admin Center, which are signed
 * with it instead of the webhook's own secret. Used as text, like every Zendesk secret.
 */
export const ZENDESK_TEST_SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';

const SIGNATURE = 'X-Zendesk-Webhook-Signature';
const TIMESTAMP = 'X-Zendesk-Webhook-Signature-Timestamp';

export const zendesk: SchemeModule = {
  scheme: 'zendesk',
  sender: 'Zendesk',
  signatureHeader: SIGNATURE,
  recipe: `base64 of HMAC-SHA256 keyed by the signing secret as text (not base64-decoded), over the ${TIMESTAMP} value followed directly by the raw body bytes (empty for GET and DELETE)`,
  timestamp: { format: 'iso', tolerance: { seconds: 300, documented: false }, header: TIMESTAMP },

  parse({ headers }) {
    const signature = headers.get(SIGNATURE);
    const timestamp = headers.get(TIMESTAMP);
    if (!signature && !timestamp) return null;
    const parsed: ParsedSignature = {
      headers: [signature?.name, timestamp?.name].filter((name): name is string => name !== undefined),
      hash: 'SHA-256',
      macs: [],
      timestamp: timestamp?.values[0],
      findings: [],
      malformed: true,
    };
    if (!signature) {
      parsed.findings.push({
        code: 'signature-missing',
        severity: 'error',
        message: `The request has ${TIMESTAMP} but no ${SIGNATURE}.`,
        fix: 'Check that nothing between Zendesk and your receiver drops the signature header.',
      });
      return parsed;
    }
    if (signature.values.length > 1) parsed.findings.push(repeatedHeader(signature.name, signature.values.length));
    const decoded = decodeMac(signature.values[0] ?? '', 'base64', 'SHA-256', signature.name, 'Zendesk');
    if ('finding' in decoded) parsed.findings.push(decoded.finding);
    else {
      parsed.macs.push(decoded.mac);
      parsed.malformed = false;
    }
    return parsed;
  },

  message: ({ timestamp, body }) => concatBytes(utf8(timestamp), body),

  key: textKey,

  mistakenKeys(secret) {
    const mistakes: MistakenKey[] = decodedKeyMistakes(secret, 'Zendesk');
    if (secret.trim() !== ZENDESK_TEST_SECRET) {
      mistakes.push({
        key: utf8(ZENDESK_TEST_SECRET),
        status: 'invalid',
        finding: {
          code: 'signed-with-test-secret',
          severity: 'warning',
          message:
            `This request is signed with Zendesk's documented test secret, not yours: Zendesk signs "Test webhook" requests from Admin Center with it. ` +
            'Real deliveries are signed with the webhook\'s own secret.',
          fix: 'To check a test request, verify with the test secret; to check your secret, trigger a real event.',
        },
      });
    }
    return mistakes;
  },

  async sign(fields, key) {
    const mac = await hmac('SHA-256', key, zendesk.message(fields));
    return [
      [SIGNATURE, toBase64(mac)],
      [TIMESTAMP, fields.timestamp],
    ];
  },
};
