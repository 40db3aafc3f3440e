import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import type { Expected } from '../../../shared/auth/types.ts';
import { BinSettingsDialog } from '../../components/BinSettingsDialog.tsx';
import { BinTransfer } from '../../components/BinTransfer.tsx';
import { CaptureUrl } from '../../components/CaptureUrl.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
import { LiveIndicator } from '../../components/LiveIndicator.tsx';
import { RequestList } from '../../components/RequestList.tsx';
import { SelectedRequest } from '../../components/SelectedRequest.tsx';
import { SendInstructions } from '../../components/SendInstructions.tsx';
import { filterFromQuery, filterSearch, type RequestFilter } from '../../lib/request-filter.ts';
import { useAppState } from '../../state/context.ts';
import { usableSettings } from '../../state/signature-secrets.ts';
import { useListKeyboard } from './keyboard.ts';
import { useRequestList } from './use-request-list.ts';
import './Bin.css';

function countLabel(total: number | null, listed: number, more: boolean, filtered: boolean): string {
  if (total === null) return '';
  const all = `${total.toLocaleString('en-US')} request${total === 1 ? '' : 's'}`;
  return filtered ? `${listed.toLocaleString('en-US')}${more ? '+' : ''} matching of ${all}` : all;
}

/** A bin: its requests arriving live on the left (filtered as the page URL says), the selected one on the right. */
export function BinPage() {
  const store = useAppState();
  const { route, query } = useLocation();
  const { params } = useRoute();
  const binId = params.bin as string;
  const selectedId = params.id ?? null;
  const filter = useMemo(() => filterFromQuery(query), [query]);
  const search = filterSearch(filter);
  const list = useRequestList(binId, filter);
  const [showSettings, setShowSettings] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  // Up to two requests picked for comparison, the first picked as A; kept across bins so A and B can come from two.
  const [picked, setPicked] = useState<string[]>([]);
  const pick = (id: string) => setPicked((now) => (now.includes(id) ? now.filter((p) => p !== id) : [...now, id].slice(-2)));
  const expected = store.expected.forKey(binId).value;
  const setExpected = (value: Expected | null) => store.expected.set(binId, value);
  const signatureSettings = usableSettings(store.signatureSecrets.forBin(binId).value);
  const captureUrl = `${store.captureOrigin.value}/b/${binId}`;
  const binPath = `/bins/${encodeURIComponent(binId)}`;
  // Links keep the filter, so moving through the filtered list does not drop it.
  const hrefFor = (id: string) => `${binPath}/requests/${encodeURIComponent(id)}${search}`;
  const requests = list.requests.value;
  const total = list.total.value;
  const filtered = list.filtered.value;

  useEffect(() => {
    document.title = `${binId} · authbin`;
  }, [binId]);
  useListKeyboard(list, selectedId, (id) => route(hrefFor(id), true));

  const setFilter = (next: RequestFilter) => {
    const page = selectedId ? `${binPath}/requests/${encodeURIComponent(selectedId)}` : binPath;
    route(page + filterSearch(next), true);
  };

  async function deleteSelected() {
    if (!selectedId) return;
    const index = requests.findIndex((r) => r.id === selectedId);
    const neighbour = requests[index + 1] ?? requests[index - 1];
    try {
      await list.remove(selectedId);
      store.details.forget(selectedId);
      route(neighbour ? hrefFor(neighbour.id) : binPath + search, true);
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

  const loaded = list.loaded.value;
  const waiting = loaded && requests.length === 0 && !filtered;
  const noMatch = loaded && requests.length === 0 && filtered;

  return (
    <div class="bin-page">
      <header class="bin-head">
        <div class="bin-head-title">
          <h1 class="mono">{binId}</h1>
          <LiveIndicator status={list.status.value} />
          <span class="muted bin-count" data-testid="bin-count">
            {countLabel(total, requests.length, list.next.value !== null, filtered)}
          </span>
        </div>
        <CaptureUrl url={captureUrl} />
        <div class="bin-head-actions">
          <button type="button" class="btn btn-small" aria-haspopup="dialog" onClick={() => setShowSettings(true)}>
            Bin settings
          </button>
          <button type="button" class="btn btn-small btn-danger" onClick={clearBin} disabled={requests.length === 0 && !filtered}>
            Clear bin
          </button>
          <button type="button" class="btn btn-small btn-danger" onClick={deleteBin}>
            Delete bin
          </button>
        </div>
      </header>
      <div class="bin-toolbar">
        <FilterBar filter={filter} onChange={setFilter} />
        <button
          type="button"
          class="btn btn-small"
          disabled={picked.length !== 2}
          title="Tick two requests (or shift-click them) to compare them"
          onClick={() => route(`/compare/${picked.map(encodeURIComponent).join('/')}`)}
        >
          Compare{picked.length > 0 ? ` (${picked.length}/2)` : ''}
        </button>
        <BinTransfer client={store.client} bin={binId} hasRequests={(total ?? 0) > 0} settingsOpen={showSettings} onImported={() => void list.reload()} />
      </div>
      {(actionError || list.error.value) && (
        <p class="notice bin-notice" role="alert">
          {actionError ?? list.error.value}
        </p>
      )}
      {showSettings && <BinSettingsDialog binId={binId} bin={list.info.value} onSaveResponse={list.setResponse} onSaveForward={list.setForward} onClose={() => setShowSettings(false)} />}
      {waiting ? (
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
            {noMatch ? (
              <div class="bin-no-match" role="status">
                <p>No requests match this filter.</p>
                <button type="button" class="btn btn-small" onClick={() => setFilter({})}>
                  Clear filter
                </button>
              </div>
            ) : (
              <RequestList list={list} selectedId={selectedId} expected={expected} signatureSettings={signatureSettings} hrefFor={hrefFor} picked={picked} onPick={pick} />
            )}
          </nav>
          <div class="bin-detail">
            {selectedId ? (
              <SelectedRequest id={selectedId} expected={expected} onExpectedChange={setExpected} onDelete={deleteSelected} forwardTo={list.info.value?.forwardTo ?? null} />
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
