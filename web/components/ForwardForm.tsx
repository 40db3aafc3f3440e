import { useState } from 'preact/hooks';
import { httpUrlError } from '../lib/http-url.ts';

interface ForwardFormProps {
  forwardTo: string | null;
  onSave: (forwardTo: string | null) => Promise<void>;
}

/** Where the server relays each request the bin captures (the smee/ngrok use case, run by authbin itself). */
export function ForwardForm({ forwardTo, onSave }: ForwardFormProps) {
  const [target, setTarget] = useState(forwardTo ?? '');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(next: string | null) {
    setBusy(true);
    try {
      await onSave(next);
      setMessage({ error: false, text: next ? `Each new request is relayed to ${next}.` : 'Forwarding is off.' });
      if (!next) setTarget('');
    } catch (e) {
      setMessage({ error: true, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  }

  function submit(event: Event) {
    event.preventDefault();
    const trimmed = target.trim();
    if (trimmed === '') return void save(null);
    const error = httpUrlError(trimmed);
    if (error) setMessage({ error: true, text: error });
    else void save(trimmed);
  }

  return (
    <form class="settings-form" onSubmit={submit} aria-labelledby="forward-title">
      <div class="settings-form-head">
        <h3 id="forward-title">Forwarding</h3>
        <p class="muted">
          The server re-sends every request this bin captures to this URL, byte for byte (method, headers in order, raw body), so signatures still
          verify. Each request shows how the relay went. Empty: off.
        </p>
      </div>
      <label class="field">
        <span>Forward each request to</span>
        <input type="text" inputMode="url" value={target} placeholder="http://localhost:3000/webhook" autoComplete="off" spellcheck={false} onInput={(e) => setTarget(e.currentTarget.value)} />
      </label>
      {message && (
        <p class={message.error ? 'notice' : 'settings-saved'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <div class="settings-form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          Save forwarding
        </button>
        {forwardTo && (
          <button type="button" class="btn" disabled={busy} onClick={() => void save(null)}>
            Stop forwarding
          </button>
        )}
      </div>
    </form>
  );
}
