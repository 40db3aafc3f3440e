import { signal, type Signal } from '@preact/signals';
import type { Expected } from '../../shared/auth/types.ts';

export type ExpectedStore = ReturnType<typeof createExpectedStore>;

const PREFIX = 'authbin:expected:';

function isExpected(value: unknown): value is Expected {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return kind === 'password' || kind === 'api-token' || kind === 'oauth' || kind === 'api-key' || kind === 'header';
}

/**
 * What the user expects a bin's requests to carry. Kept in sessionStorage only (per tab, gone when it closes):
 * expected secrets never go to the server.
 */
export function createExpectedStore(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null) {
  const cache = new Map<string, Signal<Expected | null>>();

  function read(key: string): Expected | null {
    try {
      const parsed: unknown = JSON.parse(storage?.getItem(PREFIX + key) ?? 'null');
      return isExpected(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }

  /** The expectation for a bin id (or "decode" for the decode page). */
  function forKey(key: string): Signal<Expected | null> {
    let entry = cache.get(key);
    if (!entry) {
      entry = signal(read(key));
      cache.set(key, entry);
    }
    return entry;
  }

  function set(key: string, expected: Expected | null): void {
    forKey(key).value = expected;
    try {
      if (expected) storage?.setItem(PREFIX + key, JSON.stringify(expected));
      else storage?.removeItem(PREFIX + key);
    } catch {
      // Storage can be full or disabled; the expectation still holds for this page.
    }
  }

  return { forKey, set };
}
