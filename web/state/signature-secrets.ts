import { signal, type Signal } from '@preact/signals';
import type { SignatureScheme } from '../../shared/signatures/index.ts';
import { isSignatureScheme } from '../../shared/signatures/scheme-names.ts';

/** What the browser verifies a bin's webhook signatures with. */
export interface SignatureSettings {
  /** The signing secret (auth token, client secret) exactly as the sender's dashboard shows it. */
  secret: string;
  /** Only this scheme, when several fit (GitHub's legacy header and Intercom's are the same). */
  scheme?: SignatureScheme;
  /** The URL the sender called, when a proxy or tunnel changed it on the way (Twilio signs it). */
  url?: string;
}

/** The settings when there is a secret to verify with, else null. */
export function usableSettings(settings: SignatureSettings | null): SignatureSettings | null {
  return settings && settings.secret !== '' ? settings : null;
}

export type SignatureSecretsStore = ReturnType<typeof createSignatureSecretsStore>;

const PREFIX = 'authbin:signature:';

function isSettings(value: unknown): value is SignatureSettings {
  const v = value as Partial<SignatureSettings> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.secret === 'string' &&
    (v.scheme === undefined || isSignatureScheme(v.scheme)) &&
    (v.url === undefined || typeof v.url === 'string')
  );
}

/**
 * Signing secrets per bin, kept in sessionStorage only (this tab, gone when it closes): the browser verifies
 * with them and never sends them to the server.
 */
export function createSignatureSecretsStore(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null) {
  const cache = new Map<string, Signal<SignatureSettings | null>>();

  function read(bin: string): SignatureSettings | null {
    try {
      const parsed: unknown = JSON.parse(storage?.getItem(PREFIX + bin) ?? 'null');
      return isSettings(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }

  function forBin(bin: string): Signal<SignatureSettings | null> {
    let entry = cache.get(bin);
    if (!entry) {
      entry = signal(read(bin));
      cache.set(bin, entry);
    }
    return entry;
  }

  /** Remembers the settings for the bin (an empty secret keeps the scheme and URL while one is retyped); null forgets them. */
  function set(bin: string, settings: SignatureSettings | null): void {
    forBin(bin).value = settings;
    try {
      if (settings) storage?.setItem(PREFIX + bin, JSON.stringify(settings));
      else storage?.removeItem(PREFIX + bin);
    } catch {
      // Storage can be full or disabled; the secret still works on this page.
    }
  }

  return { forBin, set };
}
