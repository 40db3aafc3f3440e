import { signal } from '@preact/signals';
import type { SignatureInput } from '../../shared/signatures/index.ts';
import { signatureInputOf, verifyOptions } from '../lib/signature-input.ts';
import { rowSignature, type RowSignature } from '../lib/signature-verdict.ts';
import { verifySignatures } from '../lib/verify-signatures.ts';
import type { DetailStore } from './details.ts';
import type { SignatureSettings } from './signature-secrets.ts';

// Row inputs are kept so a change of secret re-verifies without fetching again; big bodies are fetched again instead.
const INPUT_CACHE = 200;
const CACHED_BODY_BYTES = 256 * 1024;
const CONCURRENT_FETCHES = 3;

export type SignatureCheckStore = ReturnType<typeof createSignatureCheckStore>;

function settingsKey(settings: SignatureSettings): string {
  return JSON.stringify([settings.secret, settings.scheme ?? '', settings.url?.trim() ?? '']);
}

/**
 * The ✓/✗ of list rows against a bin's signing secret, verified in the browser (Web Crypto) for the rows on
 * screen only; every verdict is dropped when the secret, scheme or URL changes.
 */
export function createSignatureCheckStore(details: DetailStore) {
  const inputs = new Map<string, SignatureInput>();
  const verdicts = new Map<string, RowSignature>();
  /** Bumped whenever verdicts change, so rows re-read them. */
  const version = signal(0);
  let current: { key: string; settings: SignatureSettings } | null = null;
  const queue: string[] = [];
  const fetching = new Set<string>();
  const verifying = new Set<string>();

  /** Verdicts hold for one set of settings: new settings drop them. */
  function switchTo(settings: SignatureSettings): void {
    const key = settingsKey(settings);
    if (current?.key === key) return;
    current = { key, settings };
    verdicts.clear();
    verifying.clear();
    version.value++;
  }

  function keep(id: string, input: SignatureInput): void {
    if (input.body.length > CACHED_BODY_BYTES) return;
    inputs.delete(id);
    inputs.set(id, input);
    if (inputs.size > INPUT_CACHE) inputs.delete(inputs.keys().next().value as string);
  }

  function verify(id: string, input: SignatureInput): void {
    const mine = current;
    if (!mine || verifying.has(id)) return;
    verifying.add(id);
    verifySignatures(input, verifyOptions(mine.settings)).then(
      (reports) => {
        if (current !== mine) return;
        verdicts.set(id, rowSignature(reports));
        verifying.delete(id);
        version.value++;
      },
      () => {
        if (current === mine) verifying.delete(id);
      },
    );
  }

  function pump(): void {
    while (fetching.size < CONCURRENT_FETCHES && queue.length > 0) {
      const id = queue.shift() as string;
      fetching.add(id);
      details
        .fetchRow(id)
        .then((detail) => {
          const input = signatureInputOf(detail);
          keep(id, input);
          verify(id, input);
        })
        .catch(() => undefined)
        .finally(() => {
          fetching.delete(id);
          pump();
        });
    }
  }

  /** Verifies the rows on screen with `settings`; anything no longer on screen is dropped from the queue. */
  function wantRows(ids: readonly string[], settings: SignatureSettings): void {
    switchTo(settings);
    queue.length = 0;
    for (const id of ids) {
      if (verdicts.has(id) || verifying.has(id) || fetching.has(id)) continue;
      const input = inputs.get(id);
      if (input) verify(id, input);
      else queue.push(id);
    }
    pump();
  }

  /** The row's verdict for `settings`, once verified. */
  function verdictOf(id: string, settings: SignatureSettings): RowSignature | undefined {
    void version.value;
    return current?.key === settingsKey(settings) ? verdicts.get(id) : undefined;
  }

  return { wantRows, verdictOf };
}
