/** The interface every scheme module implements, and the header-reading helpers they share. */
import type { Finding, HeaderPair, SignatureScheme } from '../types.ts';
import type { HeaderView } from '../headers.ts';
import type { HashName } from '../hmac.ts';
import type { TimestampFormat, Tolerance } from '../timestamps.ts';
import { fromBase64, fromHex, fromLooseBase64, utf8 } from '../bytes.ts';
import { macLength } from '../hmac.ts';

/** The captured request, as a scheme reads it. */
export interface RequestView {
  method: string;
  url: string;
  headers: HeaderView;
  body: Uint8Array;
}

/** What a scheme reads from the headers, without any crypto (detection runs on every request). */
export interface ParsedSignature {
  /** Header names as sent. */
  headers: string[];
  hash: HashName;
  /** The decoded MACs; a match with any one verifies (Stripe and Standard Webhooks send several while a secret rolls). */
  macs: Uint8Array[];
  /** The timestamp exactly as it enters the signed message; undefined when the sender sent none. */
  timestamp?: string;
  /** Standard Webhooks' message id. */
  id?: string;
  findings: Finding[];
  /** True when no MAC could be read: nothing to verify. */
  malformed: boolean;
}

/** Everything a sender feeds into the signed message. */
export interface SignedFields {
  method: string;
  url: string;
  body: Uint8Array;
  contentType: string | undefined;
  timestamp: string;
  id: string;
}

/** A key someone could have derived from the secret by mistake, and what it means when it matches. */
export interface MistakenKey {
  key: Uint8Array;
  /** `valid` when the signature is genuine and only the secret as pasted was off. */
  status: 'valid' | 'invalid';
  finding: Finding;
}

export interface SchemeModule {
  scheme: SignatureScheme;
  /** The sender's name in messages. */
  sender: string;
  /** How the MAC is computed, in a sentence a receiver's author can follow. */
  recipe: string;
  timestamp?: { format: TimestampFormat; tolerance: Tolerance; header: string };
  /** True when the URL is part of the signed message (Twilio). */
  signsUrl?: boolean;
  /** The header that carries the MAC, for messages about it. */
  signatureHeader: string;
  /**
   * Null when the request carries none of this scheme's headers. `picked`: the user chose this
   * scheme, so read its headers even when other hints point at another sender.
   */
  parse(request: RequestView, picked?: boolean): ParsedSignature | null;
  message(fields: SignedFields): Uint8Array;
  /** The key the scheme's rules derive from the secret; a finding when the secret can't be used as given. */
  key(secret: string): { key: Uint8Array; finding?: Finding };
  mistakenKeys(secret: string): MistakenKey[];
  /** Checks beyond the MAC that need crypto, e.g. Twilio's `bodySHA256` URL parameter. */
  checkBody?(fields: SignedFields): Promise<Finding[]>;
  /** The headers a sender sends for these fields; throws when the fields can't be signed. */
  sign(fields: SignedFields, key: Uint8Array): Promise<HeaderPair[]>;
}

export function malformed(message: string, fix?: string): Finding {
  return { code: 'signature-malformed', severity: 'error', message, ...(fix ? { fix } : {}) };
}

/**
 * Decodes one MAC written in `encoding`, explaining what's wrong when it can't be used.
 * @example decodeMac('sha1=abc'.slice(5), 'hex', 'SHA-1', 'X-Hub-Signature', 'GitHub') // { finding: … }
 */
export function decodeMac(
  text: string,
  encoding: 'hex' | 'base64',
  hash: HashName,
  header: string,
  sender: string,
): { mac: Uint8Array } | { finding: Finding } {
  const expectedBytes = macLength(hash);
  const mac = encoding === 'hex' ? fromHex(text) : fromBase64(text);
  if (mac?.length === expectedBytes) return { mac };
  // 64 hex characters are also valid base64, so the other encoding is checked before the length.
  if (encoding === 'base64' && fromHex(text)?.length === expectedBytes) {
    return { finding: malformed(`The signature in ${header} is hex; ${sender} sends base64 of the HMAC bytes.`) };
  }
  if (encoding === 'hex' && fromBase64(text)?.length === expectedBytes) {
    return { finding: malformed(`The signature in ${header} is base64; ${sender} sends lowercase hex.`) };
  }
  if (mac) {
    const characters = encoding === 'hex' ? expectedBytes * 2 : Math.ceil(expectedBytes / 3) * 4;
    return {
      finding: malformed(
        `The signature in ${header} decodes to ${mac.length} bytes; an HMAC-${hash.replace('-', '')} is ${expectedBytes} bytes (${characters} ${encoding} characters).`,
        text.length === 0 ? 'The header is empty: check that the sender has a signing secret configured.' : undefined,
      ),
    };
  }
  if (encoding === 'base64' && fromLooseBase64(text)?.length === expectedBytes) {
    return {
      finding: malformed(
        `The signature in ${header} is base64url or unpadded base64; ${sender} sends standard base64 with "=" padding.`,
      ),
    };
  }
  const extra = /^\s|\s$/.test(text) ? ' (it has spaces around it)' : '';
  return { finding: malformed(`The signature in ${header} is not ${encoding}${extra}: ${text.length} characters.`) };
}

/** The value after `prefix`, or a finding naming the prefix the sender always writes. */
export function afterPrefix(value: string, prefix: string, header: string): { rest: string } | { finding: Finding } {
  if (value.startsWith(prefix)) return { rest: value.slice(prefix.length) };
  const seen = value.includes('=') ? `"${value.slice(0, value.indexOf('=') + 1)}"` : 'no prefix';
  return { finding: malformed(`${header} should start with "${prefix}"; it has ${seen}.`) };
}

/** A warning when a signature header was sent more than once (only the first is used). */
export function repeatedHeader(name: string, count: number): Finding {
  return {
    code: 'signature-header-repeated',
    severity: 'warning',
    message: `${name} was sent ${count} times; authbin checks the first. Many frameworks join repeats with ", ", which breaks the signature.`,
    fix: 'Look for a proxy or middleware that adds a second copy of the header.',
  };
}

/** The secret's text as the key, which is what most senders use. */
export function textKey(secret: string): { key: Uint8Array } {
  return { key: utf8(secret) };
}

/**
 * For senders that key the HMAC with the secret's text: the keys someone gets by decoding a secret
 * that looks like base64 or hex. A match means the sender decoded it.
 */
export function decodedKeyMistakes(secret: string, sender: string): MistakenKey[] {
  const mistakes: MistakenKey[] = [];
  const decodings: [string, Uint8Array | null][] = [
    ['base64', secret.length >= 8 ? fromBase64(secret) : null],
    ['hex', secret.length >= 16 ? fromHex(secret) : null],
  ];
  for (const [encoding, key] of decodings) {
    if (!key) continue;
    mistakes.push({
      key,
      status: 'invalid',
      finding: {
        code: 'secret-decoded-by-mistake',
        severity: 'error',
        message: `The signature matches the ${encoding}-decoded secret, not the secret itself: ${sender} uses the secret's text as the HMAC key, even though it looks like ${encoding}.`,
        fix: `Use the secret exactly as ${sender} shows it, as a UTF-8 string, without decoding it.`,
      },
    });
  }
  return mistakes;
}
