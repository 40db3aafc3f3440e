import { useEffect, useState } from 'preact/hooks';
import type { ImportResult } from '../../shared/api.ts';
import type { ApiClient } from '../api/client.ts';
import './BinTransfer.css';

interface BinTransferProps {
  client: ApiClient;
  bin: string;
  /** Whether the bin has requests (an unknown bin has no export). */
  hasRequests: boolean;
  /** Whether the bin's settings, where its rules are edited, are open: the rules are looked up again once they close. */
  settingsOpen: boolean;
  /** Called after an import, to list what arrived. */
  onImported: () => void;
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What an import brought: the requests, and the rules an NDJSON export carries (never their secrets). */
function importMessage({ imported, rules }: ImportResult, file: string): string {
  const requests = `Imported ${count(imported, 'request')} from ${file}.`;
  if (!rules) return requests;
  if (rules.imported === 0) return `${requests} Its ${count(rules.inFile, 'rule')} ${rules.inFile === 1 ? 'was' : 'were'} not imported: the bin has rules of its own.`;
  const waiting = rules.needSecret === 0 ? 'none needs a secret' : `${rules.needSecret} ${rules.needSecret === 1 ? 'needs its' : 'need their'} secret re-entered (exports leave secrets out)`;
  return `${requests} ${count(rules.imported, 'rule')} imported; ${waiting}.`;
}

/** Downloads of the bin as NDJSON or HAR, and an import of either back into it. */
export function BinTransfer({ client, bin, hasRequests, settingsOpen, onImported }: BinTransferProps) {
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [imports, setImports] = useState(0);
  // An NDJSON export carries the bin's rules, so a bin with rules and no request has one too.
  const [hasRules, setHasRules] = useState(false);
  useEffect(() => {
    if (settingsOpen) return;
    let current = true;
    client.getRules(bin).then(
      ({ rules }) => current && setHasRules(rules.length > 0),
      // A bin not made yet has no rules.
      () => current && setHasRules(false),
    );
    return () => {
      current = false;
    };
  }, [client, bin, settingsOpen, imports]);

  async function importFile(event: Event) {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    // The same file can be picked again after a failed try.
    input.value = '';
    if (!file) return;
    setBusy(true);
    setMessage(null);
    try {
      const result = await client.importRequests(bin, await file.text());
      setMessage({ error: false, text: importMessage(result, file.name) });
      setImports((n) => n + 1);
      onImported();
    } catch (e) {
      setMessage({ error: true, text: `Import of ${file.name} failed: ${(e as Error).message}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="bin-transfer" role="group" aria-label="Export and import">
      {hasRequests || hasRules ? (
        <>
          <a class="btn btn-small" href={client.exportUrl(bin, 'ndjson')} download>
            Export NDJSON
          </a>
          {/* HAR holds requests only: the rules go out in NDJSON. */}
          {hasRequests && (
            <a class="btn btn-small" href={client.exportUrl(bin, 'har')} download>
              Export HAR
            </a>
          )}
        </>
      ) : (
        <span class="faint bin-transfer-none">Nothing to export yet</span>
      )}
      <label class={`btn btn-small bin-import ${busy ? 'is-busy' : ''}`}>
        {busy ? 'Importing…' : 'Import…'}
        <input type="file" class="visually-hidden" accept=".ndjson,.jsonl,.har,.json,application/json,application/x-ndjson" disabled={busy} onChange={importFile} />
      </label>
      {message && (
        <p class={`bin-transfer-message ${message.error ? 'error-text' : 'is-done'}`} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </div>
  );
}
