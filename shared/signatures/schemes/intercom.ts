/** Intercom: `X-Hub-Signature: sha1=<hex HMAC-SHA1(client secret, body)>`, GitHub's legacy header and recipe. */
import { toHex } from '../bytes.ts';
import { hmac } from '../hmac.ts';
import type { SchemeModule } from './scheme.ts';
import { decodedKeyMistakes, textKey } from './scheme.ts';
import { AMBIGUOUS_HUB_SIGNATURE, hubSenders, parseHubHeader } from './hub-signature.ts';

export const intercom: SchemeModule = {
  scheme: 'intercom',
  sender: 'Intercom',
  signatureHeader: 'X-Hub-Signature',
  recipe: 'lowercase hex of HMAC-SHA1 keyed by the app\'s client secret as text, over the raw body bytes, after "sha1="',

  parse(request, picked) {
    const senders = hubSenders(request, picked ? 'intercom' : undefined);
    if (!senders.includes('intercom')) return null;
    const parsed = parseHubHeader(request, 'X-Hub-Signature', 'sha1=', 'SHA-1', 'Intercom');
    if (senders.length > 1) parsed.findings.push({ ...AMBIGUOUS_HUB_SIGNATURE });
    return parsed;
  },

  message: ({ body }) => body,
  key: textKey,
  mistakenKeys: (secret) => decodedKeyMistakes(secret, 'Intercom'),

  async sign({ body }, key) {
    return [['X-Hub-Signature', `sha1=${toHex(await hmac('SHA-1', key, body))}`]];
  },
};
