import { useState } from 'preact/hooks';
import type { ImportResult } from '../../shared/api.ts';
import type { ApiClient } from '../api/client.ts';
import './BinTransfer.css';

interface BinTransferProps {
  client: ApiClient;
  bin: string;
  /** Whether the bin has anything to export (an unknown bin has no export). */
  hasRequests: boolean;
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
export function BinTransfer({ client, bin, hasRequests, onImported }: BinTransferProps) {
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

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
      onImported();
    } catch (e) {
      setMessage({ error: true, text: `Import of ${file.name} failed: ${(e as Error).message}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="bin-transfer" role="group" aria-label="Export and import">
      {hasRequests ? (
        <>
          <a class="btn btn-small" href={client.exportUrl(bin, 'ndjson')} download>
            Export NDJSON
          </a>
          <a class="btn btn-small" href={client.exportUrl(bin, 'har')} download>
            Export HAR
          </a>
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
