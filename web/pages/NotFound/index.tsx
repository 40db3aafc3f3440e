import { useLocation } from 'preact-iso';

/** Any path the UI does not know. */
export function NotFoundPage() {
  const { path } = useLocation();
  return (
    <div class="page">
      <h1>Nothing here</h1>
      <p class="muted">
        There is no page at <code>{path}</code>. <a href="/">See your bins</a> or <a href="/decode">decode a header</a>.
      </p>
    </div>
  );
}
