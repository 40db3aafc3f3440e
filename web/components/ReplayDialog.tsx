import { useMemo, useState } from 'preact/hooks';
import type { RequestDetail } from '../../shared/api.ts';
import { canonicalHeader } from '../../shared/auth/index.ts';
import type { Expected } from '../../shared/auth/types.ts';
import type { ReplayResult } from '../../shared/api.ts';
import { isComplete } from '../lib/expected.ts';
import { formatBytes } from '../lib/format-bytes.ts';
import { draftFromRequest, headerRow, replayInput, withHeader, type HeaderRow, type ReplayDraft } from '../lib/replay-draft.ts';
import { replayProblem, type ReplayProblem } from '../lib/replay-error.ts';
import { useAppState } from '../state/context.ts';
import { BodyView } from './BodyView.tsx';
import { KeyValueTable } from './KeyValueTable.tsx';
import { Modal } from './Modal.tsx';
import './ReplayDialog.css';

interface ReplayDialogProps {
  request: RequestDetail;
  /** What the compare panel expects, for "Use the corrected … header". */
  expected: Expected | null;
  onClose: () => void;
}

function statusTone(status: number): string {
  return status < 300 ? 'is-ok' : status < 400 ? 'is-redirect' : 'is-error';
}

/** Sends the request again, edited or not, through the server to a target URL, and shows what the target answered. */
export function ReplayDialog({ request, expected, onClose }: ReplayDialogProps) {
  const store = useAppState();
  const [draft, setDraft] = useState<ReplayDraft>(() => draftFromRequest(request));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ReplayProblem | null>(null);
  const [result, setResult] = useState<ReplayResult | null>(null);
  const corrected = useMemo(() => (expected && isComplete(expected) ? canonicalHeader(expected) : null), [expected]);
  const editBody = (text: string) => draft.body.kind === 'text' && setDraft({ ...draft, body: { ...draft.body, text } });
  const setRow = (key: number, patch: Partial<HeaderRow>) => setDraft({ ...draft, headers: draft.headers.map((row) => (row.key === key ? { ...row, ...patch } : row)) });

  async function send(event: Event) {
    event.preventDefault();
    const built = replayInput(draft);
    if ('error' in built) return setProblem({ message: built.error });
    setBusy(true);
    setProblem(null);
    try {
      setResult(await store.client.replay(request.id, built.input));
    } catch (e) {
      setResult(null);
      setProblem(replayProblem(e));
    } finally {
      setBusy(false);
    }
  }

  const contentType = result?.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null;
  return (
    <Modal title="Replay request" titleId="replay-title" onClose={onClose} class="modal-wide">
      <form class="replay-form" onSubmit={send}>
        <div class="replay-target">
          <label class="field replay-method">
            <span>Method</span>
            <input type="text" value={draft.method} spellcheck={false} onInput={(e) => setDraft({ ...draft, method: e.currentTarget.value })} />
          </label>
          <label class="field replay-url">
            <span>Target URL</span>
            <input
              type="text"
              inputMode="url"
              value={draft.url}
              placeholder="http://localhost:3000/webhook"
              autoComplete="off"
              spellcheck={false}
              onInput={(e) => setDraft({ ...draft, url: e.currentTarget.value })}
            />
          </label>
        </div>
        <fieldset class="replay-headers">
          <legend>Headers ({draft.headers.length})</legend>
          {draft.headers.map((row, i) => (
            <div class="replay-header-row" key={row.key}>
              <input type="text" class="mono" aria-label={`Header ${i + 1} name`} value={row.name} spellcheck={false} onInput={(e) => setRow(row.key, { name: e.currentTarget.value })} />
              <input type="text" class="mono" aria-label={`Header ${i + 1} value`} value={row.value} spellcheck={false} onInput={(e) => setRow(row.key, { value: e.currentTarget.value })} />
              <button
                type="button"
                class="btn btn-small"
                aria-label={`Remove header ${i + 1}${row.name ? ` (${row.name})` : ''}`}
                onClick={() => setDraft({ ...draft, headers: draft.headers.filter((r) => r.key !== row.key) })}
              >
                Remove
              </button>
            </div>
          ))}
          <div class="replay-header-actions">
            <button type="button" class="btn btn-small" onClick={() => setDraft({ ...draft, headers: [...draft.headers, headerRow()] })}>
              Add header
            </button>
            {corrected && (
              <button type="button" class="btn btn-small" onClick={() => setDraft({ ...draft, headers: withHeader(draft.headers, corrected) })}>
                Use the corrected {corrected.name} header
              </button>
            )}
            <span class="faint">Host and Content-Length are set for the target.</span>
          </div>
        </fieldset>
        {draft.body.kind === 'text' ? (
          <div class="field">
            <label class="field">
              <span>Body</span>
              <textarea rows={Math.min(12, Math.max(3, draft.body.text.split('\n').length))} value={draft.body.text} spellcheck={false} onInput={(e) => editBody(e.currentTarget.value)} />
            </label>
            <span class="faint replay-note">{draft.body.text === draft.body.original ? 'Unchanged: the stored bytes are sent exactly.' : 'Edited: sent as UTF-8 text.'}</span>
          </div>
        ) : (
          <p class="muted replay-binary">Body: binary, {formatBytes(draft.body.size)}, unchanged.</p>
        )}
        {request.body.truncated && <p class="faint replay-note">Only the first {formatBytes(base64Length(request.body.base64))} of this body were stored; that part is what gets sent.</p>}
        {problem && (
          <div class="notice replay-problem" role="alert">
            <p>{problem.message}</p>
            {problem.hint && <p class="replay-hint">{problem.hint}</p>}
          </div>
        )}
        <div class="replay-actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send'}
          </button>
          {!corrected && <span class="faint">Pick the expected credentials in the compare panel to send a corrected Authorization header.</span>}
        </div>
      </form>
      {result && (
        <section class="replay-result" aria-labelledby="replay-result-title">
          <h3 id="replay-result-title" class="replay-result-head">
            Response <strong class={`replay-status ${statusTone(result.status)}`} data-testid="replay-status">{result.status}</strong>
            <span class="muted">in {Math.round(result.timing.totalMs)} ms</span>
          </h3>
          <KeyValueTable rows={result.headers} label="Response headers" />
          <BodyView body={result.body} contentType={contentType} name="Response body" truncatedNote="cut off by authbin" />
        </section>
      )}
    </Modal>
  );
}

/** Bytes held by a base64 string. */
function base64Length(base64: string): number {
  return Math.floor((base64.length * 3) / 4) - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);
}
