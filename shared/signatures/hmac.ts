/** HMAC and digests through Web Crypto (`crypto.subtle`), available in Node 20 and every browser. */

export type HashName = 'SHA-256' | 'SHA-1';

/** Web Crypto wants ArrayBuffer-backed views; a copy also detaches us from the caller's buffer. */
function ownBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

/**
 * HMAC of `message` under `key`.
 * @example await hmac('SHA-256', utf8('secret'), utf8('body')) // 32 bytes
 */
export async function hmac(hash: HashName, key: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  // Web Crypto refuses empty keys; HMAC pads short keys with zero bytes, so one zero byte is the same key.
  const rawKey = key.length === 0 ? new Uint8Array(1) : ownBytes(key);
  const cryptoKey = await globalThis.crypto.subtle.importKey('raw', rawKey, { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', cryptoKey, ownBytes(message)));
}

/** SHA-256 digest, e.g. for Twilio's `bodySHA256` URL parameter. */
export async function sha256(message: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', ownBytes(message)));
}

/** The length in bytes of an HMAC with `hash`. */
export function macLength(hash: HashName): number {
  return hash === 'SHA-256' ? 32 : 20;
}
