/**
 * `X-Hub-Signature: sha1=<hex>` is sent by GitHub (legacy, next to `X-Hub-Signature-256`) and by
 * Intercom, with the same recipe. This decides which of them a request can be from.
 */
import type { ParsedSignature, RequestView } from './scheme.ts';
import { afterPrefix, decodeMac, repeatedHeader } from './scheme.ts';
import type { HashName } from '../hmac.ts';
import { decodeUtf8 } from '../bytes.ts';

export type HubSender = 'github' | 'intercom';

/**
 * Senders that fit the request's `X-Hub-Signature*` headers, most likely first. `picked`: the user
 * named the sender, which then fits whenever its header is there.
 */
export function hubSenders(request: RequestView, picked?: HubSender): HubSender[] {
  const { headers } = request;
  if (picked === 'github' && (headers.has('X-Hub-Signature-256') || headers.has('X-Hub-Signature'))) return ['github'];
  if (picked === 'intercom' && headers.has('X-Hub-Signature')) return ['intercom'];
  if (headers.has('X-Hub-Signature-256')) return ['github'];
  if (!headers.has('X-Hub-Signature')) return [];
  const fromGitHub =
    headers.has('X-GitHub-Event') ||
    headers.has('X-GitHub-Delivery') ||
    /^GitHub-Hookshot\//i.test(headers.value('User-Agent') ?? '');
  if (fromGitHub) return ['github'];
  // Intercom's notifications are JSON objects of type "notification_event"; only peek at small bodies.
  const text = request.body.length <= 65_536 ? decodeUtf8(request.body) : undefined;
  if (text !== undefined && /"type"\s*:\s*"notification_event"/.test(text)) return ['intercom'];
  return ['github', 'intercom'];
}

/** Reads `<prefix><hex>` from `header` (the caller knows the header is present). */
export function parseHubHeader(
  request: RequestView,
  header: string,
  prefix: string,
  hash: HashName,
  sender: string,
): ParsedSignature {
  const field = request.headers.get(header);
  const parsed: ParsedSignature = { headers: [field?.name ?? header], hash, macs: [], findings: [], malformed: true };
  if (!field) return parsed;
  if (field.values.length > 1) parsed.findings.push(repeatedHeader(field.name, field.values.length));
  const value = afterPrefix(field.values[0] ?? '', prefix, field.name);
  if ('finding' in value) {
    parsed.findings.push(value.finding);
    return parsed;
  }
  const decoded = decodeMac(value.rest, 'hex', hash, field.name, sender);
  if ('finding' in decoded) parsed.findings.push(decoded.finding);
  else {
    parsed.macs.push(decoded.mac);
    parsed.malformed = false;
  }
  return parsed;
}

/** An info finding on both reports when GitHub and Intercom both fit. */
export const AMBIGUOUS_HUB_SIGNATURE = {
  code: 'sender-ambiguous',
  severity: 'info',
  message:
    'X-Hub-Signature with "sha1=" is sent by both GitHub (legacy header) and Intercom, with the same recipe; pick the sender whose secret you have.',
} as const;
