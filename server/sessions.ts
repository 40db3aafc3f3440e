import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Store } from './store/store.ts';

const sessionDays = 30;
/** How long an instance trusts a session it has checked before asking the database again (a logout elsewhere takes this long). */
const recheckMs = 10_000;
const maxRemembered = 1_000;

/**
 * Browser logins: each one a random cookie value, kept in the database by its hash (so every
 * instance knows it, and a copy of the database opens no session), ended by logging out, by
 * expiry after 30 days, or by changing AUTHBIN_TOKEN.
 */
export class Sessions {
  readonly #store: Store;
  readonly #tokenCheck: string | null;
  /** Sessions found valid lately: id hash → when to ask the database again. */
  readonly #checked = new Map<string, number>();

  constructor(store: Store, token: string | null) {
    this.#store = store;
    this.#tokenCheck = token === null ? null : createHmac('sha256', token).update('authbin login session v2').digest('base64url');
  }

  static readonly maxAgeSeconds = sessionDays * 86_400;

  /** Opens a session; resolves to the cookie value that proves it. */
  async open(): Promise<string> {
    if (this.#tokenCheck === null) throw new Error('sessions need AUTHBIN_TOKEN');
    const value = randomBytes(32).toString('base64url');
    await this.#store.createSession({ idHash: hashOf(value), tokenCheck: this.#tokenCheck, expiresAt: Date.now() + Sessions.maxAgeSeconds * 1000 });
    return value;
  }

  /** Whether this cookie value proves a live session opened with the current token. */
  async valid(value: string): Promise<boolean> {
    if (this.#tokenCheck === null || !/^[A-Za-z0-9_-]{43}$/.test(value)) return false;
    const idHash = hashOf(value);
    const now = Date.now();
    if ((this.#checked.get(idHash) ?? 0) > now) return true;
    const session = await this.#store.findSession(idHash);
    const live = session !== undefined && session.tokenCheck === this.#tokenCheck && session.expiresAt > now;
    if (live) {
      if (this.#checked.size >= maxRemembered) this.#checked.clear();
      this.#checked.set(idHash, Math.min(now + recheckMs, session.expiresAt));
    }
    return live;
  }

  /** Ends the session with this cookie value, on every instance. */
  async close(value: string): Promise<void> {
    const idHash = hashOf(value);
    this.#checked.delete(idHash);
    await this.#store.deleteSession(idHash);
  }
}

function hashOf(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
