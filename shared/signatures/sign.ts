/** Producing the headers a sender would send, to test one's own receiver. */
import type { HeaderPair, SignOptions } from './types.ts';
import { schemeModule } from './schemes/index.ts';
import { formatTimestamp } from './timestamps.ts';
import { toHex, utf8 } from './bytes.ts';

function randomMessageId(): string {
  return `msg_${toHex(globalThis.crypto.getRandomValues(new Uint8Array(12)))}`;
}

/**
 * The signature headers `scheme`'s sender would attach to `body`. Throws when the secret can't be
 * used (a Standard Webhooks secret that isn't base64) or a needed field is missing (Twilio's URL).
 * @example
 * await signRequest({ scheme: 'zendesk', secret: ZENDESK_TEST_SECRET, body: '{"a":1}', timestamp: '2021-03-25T05:09:27Z' })
 * // [['X-Zendesk-Webhook-Signature', '…='], ['X-Zendesk-Webhook-Signature-Timestamp', '2021-03-25T05:09:27Z']]
 */
export async function signRequest(options: SignOptions): Promise<HeaderPair[]> {
  const module = schemeModule(options.scheme);
  const { key, finding } = module.key(options.secret);
  if (finding) throw new Error(finding.message);
  if (module.signsUrl && !options.url) throw new Error(`${module.sender} signs the URL it calls: give the URL.`);
  const timestamp =
    typeof options.timestamp === 'string'
      ? options.timestamp
      : formatTimestamp(options.timestamp ?? new Date(), module.timestamp?.format ?? 'unix');
  return module.sign(
    {
      method: 'POST',
      url: options.url ?? '',
      body: typeof options.body === 'string' ? utf8(options.body) : options.body,
      contentType: undefined,
      timestamp,
      id: options.id ?? randomMessageId(),
    },
    key,
  );
}
