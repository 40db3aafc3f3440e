import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import type { RequestDetail } from '../../../shared/api.ts';
import { MethodTag } from '../../components/MethodTag.tsx';
import { RequestComparison } from '../../components/RequestComparison.tsx';
import { formatTimestamp } from '../../lib/time-ago.ts';
import { useRequestDetail } from '../../lib/use-request-detail.ts';
import type { DetailState } from '../../state/details.ts';
import './Compare.css';

function requestHref(detail: RequestDetail): string {
  return `/bins/${encodeURIComponent(detail.bin)}/requests/${encodeURIComponent(detail.id)}`;
}

function problem(side: 'A' | 'B', state: DetailState): string | null {
  if (state.status !== 'error') return null;
  return state.notFound ? `Request ${side} no longer exists: it was deleted or expired.` : `Request ${side}: ${state.message}`;
}

/** `/compare/{a}/{b}`: two requests, from one bin or two, compared part by part. */
export function ComparePage() {
  const { params } = useRoute();
  const idA = params.a as string;
  const idB = params.b as string;
  const stateA = useRequestDetail(idA);
  const stateB = useRequestDetail(idB);
  const [strict, setStrict] = useState(false);
  // One clock for the page: the comparison is not redone every second as the store's clock ticks.
  const [now] = useState(() => Date.now());

  useEffect(() => {
    document.title = 'Compare · authbin';
  }, []);

  const errors = [problem('A', stateA), problem('B', stateB)].filter((e) => e !== null);
  return (
    <div class="page compare-page">
      <h1>Compare two requests</h1>
      {errors.length > 0 ? (
        errors.map((e) => (
          <p key={e} class="notice" role="alert">
            {e}
          </p>
        ))
      ) : stateA.status !== 'ready' || stateB.status !== 'ready' ? (
        <p class="faint">Loading requests…</p>
      ) : (
        <>
          <div class="compare-sides">
            {([['A', stateA.detail], ['B', stateB.detail]] as const).map(([side, detail]) => (
              <a key={side} class="compare-side-link" href={requestHref(detail)}>
                <strong>{side}</strong> <MethodTag method={detail.method} />{' '}
                <span class="mono">
                  {detail.bin}
                  {detail.path}
                </span>{' '}
                <span class="faint">{formatTimestamp(detail.receivedAt)}</span>
              </a>
            ))}
          </div>
          <div class="compare-options">
            <label>
              <input type="checkbox" checked={strict} onChange={(e) => setStrict((e.currentTarget as HTMLInputElement).checked)} /> Strict: header name case and
              order count as changes
            </label>{' '}
            <a class="btn btn-small" href={`/compare/${encodeURIComponent(idB)}/${encodeURIComponent(idA)}`}>
              Swap A and B
            </a>
          </div>
          <RequestComparison a={stateA.detail} b={stateB.detail} strict={strict} now={now} />
        </>
      )}
    </div>
  );
}
