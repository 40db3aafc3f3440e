/**
 * Signed requests built with Node's own `crypto`, straight from each sender's documented recipe,
 * so the tests don't check the Web Crypto implementation against itself.
 */
import { createHmac } from 'node:crypto';
import type { HeaderPair, SignatureInput, SignatureScheme } from '../../../shared/signatures/index.ts';

export const RECEIVED_AT = Date.parse('2024-05-01T12:00:00Z');
export const UNIX_NOW = String(RECEIVED_AT / 1000);
export const ISO_NOW = '2024-05-01T12:00:00Z';

export interface SenderOptions {
  secret: string;
  body: string | Buffer;
  /** Timestamp written into the headers; defaults to the moment of receipt. */
  timestamp?: string;
  url?: string;
  id?: string;
}

function mac(hash: 'sha256' | 'sha1', key: string | Buffer, message: Buffer): Buffer {
  return createHmac(hash, key).update(message).digest();
}

/** The signature headers each sender would send, computed with node:crypto. */
export function nodeSignatureHeaders(scheme: SignatureScheme, options: SenderOptions): HeaderPair[] {
  const body = Buffer.from(options.body);
  const { secret } = options;
  const join = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((part) => Buffer.from(part)));
  switch (scheme) {
    case 'zendesk': {
      const timestamp = options.timestamp ?? ISO_NOW;
      return [
        ['X-Zendesk-Webhook-Signature', mac('sha256', secret, join(timestamp, body)).toString('base64')],
        ['X-Zendesk-Webhook-Signature-Timestamp', timestamp],
      ];
    }
    case 'github':
      return [['X-Hub-Signature-256', `sha256=${mac('sha256', secret, body).toString('hex')}`]];
    case 'stripe': {
      const t = options.timestamp ?? UNIX_NOW;
      return [['Stripe-Signature', `t=${t},v1=${mac('sha256', secret, join(`${t}.`, body)).toString('hex')}`]];
    }
    case 'slack': {
      const timestamp = options.timestamp ?? UNIX_NOW;
      return [
        ['X-Slack-Signature', `v0=${mac('sha256', secret, join(`v0:${timestamp}:`, body)).toString('hex')}`],
        ['X-Slack-Request-Timestamp', timestamp],
      ];
    }
    case 'shopify':
      return [['X-Shopify-Hmac-Sha256', mac('sha256', secret, body).toString('base64')]];
    case 'standard-webhooks': {
      const id = options.id ?? 'msg_2a4K9fQ';
      const timestamp = options.timestamp ?? UNIX_NOW;
      const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
      return [
        ['webhook-id', id],
        ['webhook-timestamp', timestamp],
        ['webhook-signature', `v1,${mac('sha256', key, join(`${id}.${timestamp}.`, body)).toString('base64')}`],
      ];
    }
    case 'twilio': {
      const url = options.url ?? 'https://example.com/b/twilio';
      const params = [...new URLSearchParams(body.toString('utf8'))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const data = url + params.map(([name, value]) => name + value).join('');
      return [['X-Twilio-Signature', mac('sha1', secret, Buffer.from(data)).toString('base64')]];
    }
    case 'intercom':
      return [['X-Hub-Signature', `sha1=${mac('sha1', secret, body).toString('hex')}`]];
  }
}

/** A captured request carrying `scheme`'s signature, as authbin would store it. */
export function nodeSignedRequest(scheme: SignatureScheme, options: SenderOptions, extraHeaders: HeaderPair[] = []): SignatureInput {
  const form = scheme === 'twilio' || scheme === 'slack';
  return {
    method: 'POST',
    url: options.url ?? 'https://example.com/b/twilio',
    headers: [
      ['Content-Type', form ? 'application/x-www-form-urlencoded' : 'application/json'],
      ...nodeSignatureHeaders(scheme, options),
      ...extraHeaders,
    ],
    body: new Uint8Array(Buffer.from(options.body)),
    bodyTruncated: false,
    now: RECEIVED_AT,
  };
}

/** One body per scheme, of the kind that sender posts. */
export const SAMPLE_BODIES: Record<SignatureScheme, string> = {
  zendesk: '{"type":"zen:event-type:ticket.created","detail":{"id":"35436","subject":"Help, my printer is on fire!"}}',
  github: '{"zen":"Keep it logically awesome.","hook_id":1}',
  stripe: '{"id":"evt_1","object":"event","type":"payment_intent.succeeded"}',
  slack: 'token=xyz&team_id=T1&command=%2Fweather&text=94070',
  shopify: '{"id":820982911946154508,"email":"jon@example.com"}',
  'standard-webhooks': '{"type":"invoice.paid","data":{"id":"in_1"}}',
  twilio: 'To=%2B18005551212&From=%2B14158675310&Body=Hello+there&MessageSid=SM1&AccountSid=AC1',
  intercom: '{"type":"notification_event","topic":"ping","data":{"item":{"type":"ping"}}}',
};

/** A secret of the kind each sender issues. */
export const SAMPLE_SECRETS: Record<SignatureScheme, string> = {
  zendesk: 'c2lnbmluZy1zZWNyZXQtb2YtbXktd2ViaG9vaw==',
  github: 'It is a secret to everybody',
  stripe: 'whsec_3mZ8pQ4tR7vW1xY6zA2bC5dE9fG0hJ',
  slack: '8f742231b10e8888abcd99yyyzzz85a5',
  shopify: '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',
  'standard-webhooks': 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  twilio: '12345abcde12345abcde12345abcde12',
  intercom: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0',
};
