import { readAuthorization, type AuthorizationReading } from '../../shared/auth/read-authorization.ts';

/** Readings `AuthorizationReadings` keeps at most; then it starts over. */
const keptReadings = 256;

/**
 * Whether a reading stays true whatever the time: credentials sent under the Basic scheme that
 * hold no token (a JWT's reading judges its expiry by the capture's time).
 */
export function readingLasts(reading: AuthorizationReading): boolean {
  return reading.parsed.meant === 'basic' && reading.bearer === undefined;
}

/**
 * The Authorization values captures sent lately, read. A sender sends the same value request after
 * request, and reading it (base64, text encodings, findings) is most of what a credentials
 * condition costs a capture once the secret's hash is known. Kept only in memory, as long as the
 * requests that carried them, which are stored whole anyway; and only readings the time cannot
 * change: credentials sent under the Basic scheme that hold no token, whose expiry a JWT's reading
 * judges by the capture's time.
 */
export class AuthorizationReadings {
  readonly #kept = new Map<string, AuthorizationReading>();

  /** `readAuthorization(value, now)`; a reading kept is shared: callers only read it. */
  read(value: string, now: number): AuthorizationReading {
    const kept = this.#kept.get(value);
    if (kept) return kept;
    const reading = readAuthorization(value, now);
    if (readingLasts(reading)) {
      if (this.#kept.size >= keptReadings) this.#kept.clear();
      this.#kept.set(value, reading);
    }
    return reading;
  }
}
