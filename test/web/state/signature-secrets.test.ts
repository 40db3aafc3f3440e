import { describe, expect, it } from 'vitest';
import { createSignatureSecretsStore, usableSettings } from '../../../web/state/signature-secrets.ts';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe('signing secrets per bin', () => {
  it('remembers the settings of each bin separately, and a new page reads them back', () => {
    const storage = memoryStorage();
    const store = createSignatureSecretsStore(storage);
    store.set('a', { secret: 's3cret', scheme: 'github' });
    expect(store.forBin('a').value).toEqual({ secret: 's3cret', scheme: 'github' });
    expect(store.forBin('b').value).toBeNull();
    expect(createSignatureSecretsStore(storage).forBin('a').value).toEqual({ secret: 's3cret', scheme: 'github' });
  });

  it('forgets them', () => {
    const storage = memoryStorage();
    const store = createSignatureSecretsStore(storage);
    store.set('a', { secret: 'x' });
    store.set('a', null);
    expect(store.forBin('a').value).toBeNull();
    expect(storage.items.size).toBe(0);
  });

  it('ignores stored values that are not settings', () => {
    const storage = memoryStorage();
    storage.setItem('authbin:signature:a', '{"secret": 1}');
    storage.setItem('authbin:signature:b', '{"secret": "x", "scheme": "acme"}');
    storage.setItem('authbin:signature:c', 'not json');
    const store = createSignatureSecretsStore(storage);
    expect(['a', 'b', 'c'].map((bin) => store.forBin(bin).value)).toEqual([null, null, null]);
  });

  it('keeps working for the page when storage refuses to store', () => {
    const store = createSignatureSecretsStore({
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    });
    store.set('a', { secret: 'x' });
    expect(store.forBin('a').value).toEqual({ secret: 'x' });
  });

  it('verifies only with a secret that is not empty', () => {
    expect(usableSettings(null)).toBeNull();
    expect(usableSettings({ secret: '', scheme: 'twilio' })).toBeNull();
    expect(usableSettings({ secret: 'x' })).toEqual({ secret: 'x' });
  });
});
