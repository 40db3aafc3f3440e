import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { CopyButton } from '../../components/CopyButton.tsx';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { useAppState } from '../../state/context.ts';
import './Home.css';

const BIN_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** How long typing in the filter box pauses before the list is asked for: one request per word, not per key. */
const filterDelayMs = 250;

/** The start page: create a bin in one click, or open one of the existing bins. */
export function HomePage() {
  const store = useAppState();
  const { route } = useLocation();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const bins = store.bins.bins.value;
  const [filter, setFilter] = useState(store.bins.filter.value);

  useEffect(() => {
    document.title = 'authbin';
  }, []);

  const binList = store.bins;
  useEffect(() => {
    // The filter kept from the last visit loads at once; a typed one once typing pauses.
    const timer = setTimeout(() => void binList.load(filter), filter === binList.filter.peek() ? 0 : filterDelayMs);
    return () => clearTimeout(timer);
  }, [binList, filter]);

  async function create(event?: Event) {
    event?.preventDefault();
    const id = name.trim();
    if (id && !BIN_NAME.test(id)) {
      setError('A bin name is 1–64 letters, digits, "-" or "_".');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const bin = await store.bins.create(id || undefined);
      route(`/bins/${encodeURIComponent(bin.id)}`);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }

  async function remove(id: string) {
    if (!confirm(`Delete bin ${id} and all its requests?`)) return;
    try {
      await store.bins.remove(id);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <div class="page home">
      <section class="home-hero">
        <h1>See exactly what an Authorization header says</h1>
        <p class="muted">
          Point a webhook, a script or curl at a bin: every request shows up here live, with its credentials decoded and checked
          against the ones you meant to send.
        </p>
        <form class="home-create" onSubmit={create}>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Creating…' : 'New bin'}
          </button>
          <label class="home-name">
            <span class="visually-hidden">Bin name (optional)</span>
            <input
              type="text"
              placeholder="name (optional, random if empty)"
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </label>
        </form>
        {error && (
          <p class="notice" role="alert">
            {error}
          </p>
        )}
      </section>

      <section class="home-bins" aria-labelledby="bins-heading">
        <div class="home-bins-header">
          <h2 id="bins-heading">Bins</h2>
          <label class="home-filter">
            <span class="visually-hidden">Find a bin by name</span>
            <input type="search" placeholder="Find a bin by name" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
          </label>
        </div>
        {store.bins.error.value && !bins && (
          <p class="notice" role="alert">
            {store.bins.error.value}
          </p>
        )}
        {bins === null && !store.bins.error.value && <p class="muted">Loading…</p>}
        {bins?.length === 0 && store.bins.filter.value.trim() === '' && (
          <p class="muted home-empty">No bins yet. Click “New bin” to get a capture URL.</p>
        )}
        {bins?.length === 0 && store.bins.filter.value.trim() !== '' && (
          <p class="muted home-empty">No bin name holds “{store.bins.filter.value.trim()}”.</p>
        )}
        {bins && bins.length > 0 && (
          <table class="bins-table">
            <thead>
              <tr>
                <th scope="col">Bin</th>
                <th scope="col" class="num">
                  Requests
                </th>
                <th scope="col">Last request</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {bins.map((bin) => (
                <tr key={bin.id}>
                  <td>
                    <a class="mono bin-link" href={`/bins/${encodeURIComponent(bin.id)}`}>
                      {bin.id}
                    </a>
                  </td>
                  <td class="num">{bin.requestCount.toLocaleString('en-US')}</td>
                  <td class="muted">{bin.lastRequestAt ? <TimeAgo time={bin.lastRequestAt} /> : 'never'}</td>
                  <td class="bins-actions">
                    <CopyButton text={`${store.captureOrigin.value}/b/${bin.id}`} label={`Copy URL of bin ${bin.id}`}>
                      Copy URL
                    </CopyButton>
                    <button type="button" class="btn btn-small btn-danger" aria-label={`Delete bin ${bin.id}`} onClick={() => remove(bin.id)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {store.bins.next.value !== null && (
          <button type="button" class="btn home-more" disabled={store.bins.loadingMore.value} onClick={() => void store.bins.loadMore()}>
            {store.bins.loadingMore.value ? 'Loading…' : 'Show more'}
          </button>
        )}
      </section>
    </div>
  );
}
