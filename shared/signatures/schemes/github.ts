/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`, plus the legacy
 * `X-Hub-Signature: sha1=<hex HMAC-SHA1(secret, body)>`.
 */
import { toHex } from '../bytes.ts';
import { hmac } from '../hmac.ts';
import type { SchemeModule } from './scheme.ts';
import { decodedKeyMistakes, textKey } from './scheme.ts';
import { AMBIGUOUS_HUB_SIGNATURE, hubSenders, parseHubHeader } from './hub-signature.ts';

export const github: SchemeModule = {
  scheme: 'github',
  sender: 'GitHub',
  signatureHeader: 'X-Hub-Signature-256',
  recipe:
    'lowercase hex of HMAC-SHA256 keyed by the webhook secret as text, over the raw body bytes, after "sha256=" (the legacy X-Hub-Signature uses HMAC-SHA1 and "sha1=")',

  parse(request, picked) {
    const senders = hubSenders(request, picked ? 'github' : undefined);
    if (!senders.includes('github')) return null;
    // GitHub sends both headers; the SHA-256 one is the one to check.
    const parsed = request.headers.has('X-Hub-Signature-256')
      ? parseHubHeader(request, 'X-Hub-Signature-256', 'sha256=', 'SHA-256', 'GitHub')
      : parseHubHeader(request, 'X-Hub-Signature', 'sha1=', 'SHA-1', 'GitHub');
    const legacy = request.headers.get('X-Hub-Signature');
    if (legacy && !parsed.headers.includes(legacy.name)) parsed.headers.push(legacy.name);
    if (senders.length > 1) parsed.findings.push({ ...AMBIGUOUS_HUB_SIGNATURE });
    return parsed;
  },

  message: ({ body }) => body,
  key: textKey,
  mistakenKeys: (secret) => decodedKeyMistakes(secret, 'GitHub'),

  async sign({ body }, key) {
    const [sha256, sha1] = await Promise.all([hmac('SHA-256', key, body), hmac('SHA-1', key, body)]);
    return [
      ['X-Hub-Signature-256', `sha256=${toHex(sha256)}`],
      ['X-Hub-Signature', `sha1=${toHex(sha1)}`],
    ];
  },
};
