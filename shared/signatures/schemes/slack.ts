/** Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:{X-Slack-Request-Timestamp}:{body}")>`. */
import { concatBytes, toHex, utf8 } from '../bytes.ts';
import { hmac } from '../hmac.ts';
import type { ParsedSignature, SchemeModule } from './scheme.ts';
import { afterPrefix, decodeMac, decodedKeyMistakes, repeatedHeader, textKey } from './scheme.ts';

const SIGNATURE = 'X-Slack-Signature';
const TIMESTAMP = 'X-Slack-Request-Timestamp';

export const slack: SchemeModule = {
  scheme: 'slack',
  sender: 'Slack',
  signatureHeader: SIGNATURE,
  recipe: `lowercase hex of HMAC-SHA256 keyed by the signing secret as text, over "v0:", the ${TIMESTAMP} value, ":", then the raw body bytes, after "v0="`,
  timestamp: { format: 'unix', tolerance: { seconds: 300, documented: true }, header: TIMESTAMP },

  parse({ headers }) {
    const signature = headers.get(SIGNATURE);
    if (!signature) return null;
    const timestamp = headers.get(TIMESTAMP);
    const parsed: ParsedSignature = {
      headers: timestamp ? [signature.name, timestamp.name] : [signature.name],
      hash: 'SHA-256',
      macs: [],
      timestamp: timestamp?.values[0],
      findings: [],
      malformed: true,
    };
    if (signature.values.length > 1) parsed.findings.push(repeatedHeader(signature.name, signature.values.length));
    const value = afterPrefix(signature.values[0] ?? '', 'v0=', signature.name);
    if ('finding' in value) {
      parsed.findings.push(value.finding);
      return parsed;
    }
    const decoded = decodeMac(value.rest, 'hex', 'SHA-256', signature.name, 'Slack');
    if ('finding' in decoded) parsed.findings.push(decoded.finding);
    else {
      parsed.macs.push(decoded.mac);
      parsed.malformed = false;
    }
    return parsed;
  },

  message: ({ timestamp, body }) => concatBytes(utf8(`v0:${timestamp}:`), body),
  key: textKey,
  mistakenKeys: (secret) => decodedKeyMistakes(secret, 'Slack'),

  async sign(fields, key) {
    const mac = await hmac('SHA-256', key, slack.message(fields));
    return [
      [SIGNATURE, `v0=${toHex(mac)}`],
      [TIMESTAMP, fields.timestamp],
    ];
  },
};
