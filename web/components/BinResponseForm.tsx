import { useState } from 'preact/hooks';
import type { BinResponse } from '../../shared/api.ts';
import { binStatusRange } from '../../shared/http/bin-response-rules.ts';
import { fieldsFromResponse, responseFromFields, type ResponseFields, type ResponseTextField } from '../lib/response-form.ts';
import './BinResponseForm.css';

interface BinResponseFormProps {
  response: BinResponse | null;
  onSave: (response: BinResponse | null) => Promise<void>;
}

/** What the bin answers to the requests it captures: status, content type, body, extra headers, scripts, delay. */
export function BinResponseForm({ response, onSave }: BinResponseFormProps) {
  const [fields, setFields] = useState<ResponseFields>(() => fieldsFromResponse(response));
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const field = (name: ResponseTextField) => ({
    value: fields[name],
    onInput: (e: Event) => setFields({ ...fields, [name]: (e.currentTarget as HTMLInputElement).value }),
  });

  async function save(next: BinResponse | null) {
    setBusy(true);
    try {
      await onSave(next);
      setMessage({ error: false, text: next ? 'Saved. The next request gets this response.' : 'Restored the default response.' });
      if (!next) setFields(fieldsFromResponse(null));
    } catch (e) {
      setMessage({ error: true, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  }

  function submit(event: Event) {
    event.preventDefault();
    const result = responseFromFields(fields);
    if ('error' in result) setMessage({ error: true, text: result.error });
    else void save(result.response);
  }

  return (
    <form class="settings-form" onSubmit={submit} aria-labelledby="response-title">
      <div class="settings-form-head">
        <h3 id="response-title">Response</h3>
        <p class="muted">What this bin answers. Zendesk's “Test webhook” shows it; use 429 or 5xx to test retries.</p>
      </div>
      <div class="response-form-grid">
        <label class="field">
          <span>Status</span>
          <input type="number" min={binStatusRange.min} max={binStatusRange.max} required {...field('status')} />
        </label>
        <label class="field">
          <span>Content type</span>
          <input type="text" {...field('contentType')} />
        </label>
        <label class="field">
          <span>Delay (ms)</span>
          <input type="number" min={0} max={30000} step={1} {...field('delayMs')} />
        </label>
      </div>
      <label class="field">
        <span>Body</span>
        <textarea rows={3} placeholder='{"ok":true,"id":"…"} when left at the defaults' {...field('body')} />
      </label>
      <label class="field">
        <span>Extra headers (one “Name: value” a line)</span>
        <textarea rows={2} placeholder="Retry-After: 7" {...field('headers')} />
      </label>
      <label class="response-form-check">
        <input
          type="checkbox"
          checked={fields.allowScripts}
          onChange={(e) => setFields({ ...fields, allowScripts: (e.currentTarget as HTMLInputElement).checked })}
        />
        <span>
          Allow scripts <span class="muted">— a page in the body may run them, sandboxed in an origin of its own, so it cannot reach authbin.</span>
        </span>
      </label>
      {message && (
        <p class={message.error ? 'notice' : 'settings-saved'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <div class="settings-form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          Save response
        </button>
        <button type="button" class="btn" disabled={busy} onClick={() => void save(null)}>
          Restore default
        </button>
      </div>
    </form>
  );
}
