import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

/** How many sent secrets (and kept hashes) `RuleSecrets.matches` remembers the hashes of, at most; then it starts over. */
const recentHashes = 256;

/**
 * The per-install key that keeps rules' secrets out of the database: expected secrets as an
 * HMAC-SHA-256 (matching needs only to hash what arrives), signing secrets encrypted with
 * AES-256-GCM (verifying a signature needs the secret itself). Two subkeys are derived with HKDF so
 * that a hash can never be mistaken for, or help with, a ciphertext.
 */
export class RuleSecrets {
  readonly #hashKey: Buffer;
  readonly #sealKey: Buffer;
  /**
   * Names the key without giving it away, kept beside each secret: a secret kept under another key
   * (instances given different keys, a key file replaced) is then told apart from a wrong one.
   */
  readonly keyId: string;
  /**
   * The keyed hashes of the secrets captures sent lately. A sender sends the same credentials request
   * after request, and hashing them again is most of what a credentials condition costs a capture.
   * Only in memory, as long as the requests that carried them, which are stored whole anyway.
   */
  readonly #sentHashes = new Map<string, Buffer>();
  /** The kept hashes `matches` compared with, as bytes. */
  readonly #keptHashes = new Map<string, Buffer>();

  constructor(key: Uint8Array) {
    this.#hashKey = Buffer.from(hkdfSync('sha256', key, 'authbin', 'rules: expected secrets', 32));
    this.#sealKey = Buffer.from(hkdfSync('sha256', key, 'authbin', 'rules: signing secrets', 32));
    this.keyId = Buffer.from(hkdfSync('sha256', key, 'authbin', 'rules: key id', 8)).toString('hex');
  }

  /** The keyed hash of an expected secret, hex. */
  hash(secret: string): string {
    return createHmac('sha256', this.#hashKey).update(secret, 'utf8').digest('hex');
  }

  /** Whether a secret a capture sent has the keyed hash kept of an expected one (hex, as `hash` gives it). */
  matches(sent: string, keptHash: string): boolean {
    let kept = this.#keptHashes.get(keptHash);
    if (!kept) {
      if (this.#keptHashes.size >= recentHashes) this.#keptHashes.clear();
      kept = Buffer.from(keptHash, 'hex');
      this.#keptHashes.set(keptHash, kept);
    }
    let hashed = this.#sentHashes.get(sent);
    if (!hashed) {
      if (this.#sentHashes.size >= recentHashes) this.#sentHashes.clear();
      hashed = createHmac('sha256', this.#hashKey).update(sent, 'utf8').digest();
      this.#sentHashes.set(sent, hashed);
    }
    return hashed.length === kept.length && timingSafeEqual(hashed, kept);
  }

  /** A signing secret encrypted: base64url of nonce, ciphertext and tag. */
  seal(secret: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#sealKey, nonce);
    const sealed = Buffer.concat([nonce, cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return sealed.toString('base64url');
  }

  /** The signing secret `seal` encrypted; throws when it was sealed under another key. */
  open(sealed: string): string {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.#sealKey, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
  }
}

/**
 * There is no key to keep or check rules' secrets with: on PostgreSQL the key cannot be a file beside
 * the database, since every instance must hash and seal with the same one.
 */
export class SecretKeyMissing extends Error {
  constructor() {
    super('rules with secrets (expected credentials, signing secrets) need AUTHBIN_SECRET_KEY on PostgreSQL: set it to the same value, 32 characters or more, on every instance, and restart them');
  }
}

/** The shortest `AUTHBIN_SECRET_KEY` taken: 32 characters, as `openssl rand -hex 16` prints. */
export const minSecretKeyLength = 32;

/**
 * The key file beside a SQLite file (`authbin.db` → `authbin.db.key`): read, or created with 32
 * random bytes and mode 0600 on first use. A copy of the database alone then holds no secret.
 */
export function keyFileBeside(dbPath: string): Buffer {
  const path = `${dbPath}.key`;
  try {
    writeFileSync(path, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return Buffer.from(readFileSync(path, 'utf8').trim(), 'utf8');
}
