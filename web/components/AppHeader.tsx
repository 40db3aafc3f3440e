import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useAppState } from '../state/context.ts';
import './AppHeader.css';

/** The top bar: the product name and the two places to go. */
export function AppHeader() {
  const { path } = useLocation();
  const { client, session } = useAppState();
  useEffect(() => {
    client.session().then(
      (s) => (session.value = s),
      () => undefined,
    );
  }, [client, session]);
  const inBins = path === '/' || path.startsWith('/bins/');
  return (
    <header class="app-header">
      <a class="brand" href="/">
        <svg class="brand-mark" viewBox="0 0 16 16" aria-hidden="true">
          <rect width="16" height="16" rx="3.5" />
          <path d="M4 8.5l2.5 2.5L12 5.5" />
        </svg>
        authbin
      </a>
      <nav class="app-nav" aria-label="Main">
        <a href="/" aria-current={inBins ? 'page' : undefined}>
          Bins
        </a>
        <a href="/decode" aria-current={path === '/decode' ? 'page' : undefined}>
          Decode a header
        </a>
      </nav>
      {session.value?.tokenRequired && session.value.authenticated && (
        <form class="logout" method="post" action="/api/logout">
          <button type="submit" class="btn btn-small">
            Log out
          </button>
        </form>
      )}
    </header>
  );
}
