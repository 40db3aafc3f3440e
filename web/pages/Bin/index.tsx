import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import type { Expected } from '../../../shared/auth/types.ts';
import { BinResponseForm } from '../../components/BinResponseForm.tsx';
import { CaptureUrl } from '../../components/CaptureUrl.tsx';
import { LiveIndicator } from '../../components/LiveIndicator.tsx';
import { RequestList } from '../../components/RequestList.tsx';
import { SelectedRequest } from '../../components/SelectedRequest.tsx';
import { SendInstructions } from '../../components/SendInstructions.tsx';
import { useStore } from '../../store/context.ts';
import { createRequestListStore } from '../../store/request-list.ts';
import { useListKeyboard } from './keyboard.ts';
import './Bin.css';

/** A bin: its requests arriving live on the left, the selected one on the right. */
export function BinPage() {
  const store = useStore();
  const { route } = useLocation();
  const { params } = useRoute();
  const binId = params.bin as string;
  const selectedId = params.id ?? null;
  const list = useMemo(() => createRequestListStore(store.client, binId, store.createEventSource), [binId]);
  const [showResponse, setShowResponse] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const expectedSignal = store.expected.forKey(binId);
  const expected = expectedSignal.value;
  const setExpected = (value: Expected | null) => store.expected.set(binId, value);
  const captureUrl = `${store.origin}/b/${binId}`;
  const binPath = `/bins/${encodeURIComponent(binId)}`;
  const hrefFor = (id: string) => `${binPath}/requests/${encodeURIComponent(id)}`;
  const requests = list.requests.value;
  const total = list.total.value;

  useEffect(() => list.start(), [list]);
  useEffect(() => {
    document.title = `${binId} · authbin`;
  }, [binId]);
  useListKeyboard(list, selectedId, (id) => route(hrefFor(id), true));

  async function deleteSelected() {
    if (!selectedId) return;
    const index = requests.findIndex((r) => r.id === selectedId);
    const neighbour = requests[index + 1] ?? requests[index - 1];
    try {
      await list.remove(selectedId);
      store.details.forget(selectedId);
      route(neighbour ? hrefFor(neighbour.id) : binPath, true);
    } catch (e) {
      setActionError((e as Error).message);
    }
  }

  async function clearBin() {
    if (!confirm(`Delete all ${total ?? ''} requests in ${binId}?`.replace('  ', ' '))) return;
    try {
      await list.clear();
      route(binPath, true);
    } catch (e) {
      setActionError((e as Error).message);
    }
  }

  async function deleteBin() {
    if (!confirm(`Delete bin ${binId} and all its requests?`)) return;
    try {
      await store.bins.remove(binId);
      route('/');
    } catch (e) {
      setActionError((e as Error).message);
    }
  }

  const empty = list.loaded.value && requests.length === 0;

  return (
    <div class="bin-page">
      <header class="bin-head">
        <div class="bin-head-title">
          <h1 class="mono">{binId}</h1>
          <LiveIndicator status={list.status.value} />
          <span class="muted bin-count">{total === null ? '' : `${total.toLocaleString('en-US')} request${total === 1 ? '' : 's'}`}</span>
        </div>
        <CaptureUrl url={captureUrl} />
        <div class="bin-head-actions">
          <button type="button" class="btn btn-small" aria-haspopup="dialog" onClick={() => setShowResponse(true)}>
            Response settings
          </button>
          <button type="button" class="btn btn-small btn-danger" onClick={clearBin} disabled={requests.length === 0}>
            Clear bin
          </button>
          <button type="button" class="btn btn-small btn-danger" onClick={deleteBin}>
            Delete bin
          </button>
        </div>
      </header>
      {(actionError || list.error.value) && (
        <p class="notice bin-notice" role="alert">
          {actionError ?? list.error.value}
        </p>
      )}
      {showResponse && <BinResponseForm response={list.info.value?.response ?? null} onSave={list.setResponse} onClose={() => setShowResponse(false)} />}
      {empty ? (
        <div class="bin-empty">
          <div class="bin-empty-inner">
            <div class="bin-waiting" role="status">
              <span class="live-pulse" aria-hidden="true" />
              <div>
                <h2>Waiting for the first request</h2>
                <p class="muted">Send anything to the capture URL; it appears here the moment it arrives, no reload needed.</p>
              </div>
            </div>
            <SendInstructions captureUrl={captureUrl} />
          </div>
        </div>
      ) : (
        <div class="bin-body">
          <nav class="bin-list" aria-label="Requests in this bin">
            <RequestList list={list} selectedId={selectedId} expected={expected} hrefFor={hrefFor} />
          </nav>
          <div class="bin-detail">
            {selectedId ? (
              <SelectedRequest id={selectedId} expected={expected} onExpectedChange={setExpected} onDelete={deleteSelected} />
            ) : (
              <div class="bin-pick">
                <p>
                  Select a request, or press <kbd>↓</kbd> to open the newest.
                </p>
                <p class="muted">Send more to the capture URL above; they appear at the top of the list as they arrive.</p>
              </div>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
