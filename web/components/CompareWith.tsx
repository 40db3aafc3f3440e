import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { requestIdFrom } from '../lib/request-ref.ts';

/** "Compare with…": opens `/compare/{this}/{other}` for another request's id or link, from any bin. */
export function CompareWith({ id }: { id: string }) {
  const { route } = useLocation();
  const [open, setOpen] = useState(false);
  const [other, setOther] = useState('');
  const otherId = requestIdFrom(other);
  if (!open) {
    return (
      <button type="button" class="btn btn-small" aria-expanded="false" onClick={() => setOpen(true)}>
        Compare with…
      </button>
    );
  }
  return (
    <form
      class="compare-with"
      onSubmit={(event) => {
        event.preventDefault();
        if (otherId) route(`/compare/${encodeURIComponent(id)}/${encodeURIComponent(otherId)}`);
      }}
    >
      <label>
        Other request (id or link){' '}
        <input type="text" value={other} autoFocus onInput={(e) => setOther((e.currentTarget as HTMLInputElement).value)} />
      </label>{' '}
      <button type="submit" class="btn btn-small" disabled={otherId === null}>
        Compare
      </button>{' '}
      <button type="button" class="btn btn-small" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}
