import { useEffect, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import type { RequestDetail } from '../../../shared/api.ts';
import { compareRequests, type RequestComparison as Comparison } from '../../../shared/compare/index.ts';
import { MethodTag } from '../../components/MethodTag.tsx';
import { RequestComparison } from '../../components/RequestComparison.tsx';
import { formatTimestamp } from '../../lib/time-ago.ts';
import { useRequestDetail } from '../../lib/use-request-detail.ts';
import type { DetailState } from '../../state/details.ts';
import { useDifferenceKeys } from './keyboard.ts';
import './Compare.css';

function requestHref(detail: RequestDetail): string {
  return `/bins/${encodeURIComponent(detail.bin)}/requests/${encodeURIComponent(detail.id)}`;
}

function problem(side: 'A' | 'B', state: DetailState): string | null {
  if (state.status !== 'error') return null;
  return state.notFound ? `Request ${side} no longer exists: it was deleted or expired.` : `Request ${side}: ${state.message}`;
}

/**
 * The comparison of two loaded requests, computed here in the browser: the secrets go nowhere to be compared.
 * The last result stays on screen while the next one (strict toggled) is computed.
 */
function useComparison(a: RequestDetail | null, b: RequestDetail | null, strict: boolean, now: number): Comparison | null {
  const [result, setResult] = useState<{ a: RequestDetail; b: RequestDetail; comparison: Comparison } | null>(null);
  useEffect(() => {
    if (!a || !b) return;
    let live = true;
    void compareRequests(a, b, { strict, now }).then((comparison) => live && setResult({ a, b, comparison }));
    return () => {
      live = false;
    };
  }, [a, b, strict, now]);
  return result && result.a === a && result.b === b ? result.comparison : null;
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
  const detailA = stateA.status === 'ready' ? stateA.detail : null;
  const detailB = stateB.status === 'ready' ? stateB.detail : null;
  const result = useComparison(detailA, detailB, strict, now);
  const differences = useRef<HTMLDivElement>(null);
  const keys = useDifferenceKeys(differences, result);

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
      ) : !detailA || !detailB || !result ? (
        <p class="faint">Loading requests…</p>
      ) : (
        <>
          <div class="compare-sides">
            {([['A', detailA], ['B', detailB]] as const).map(([side, detail]) => (
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
            <span class="compare-walk" role="group" aria-label="Move between differences">
              <button type="button" class="btn btn-small" onClick={() => keys.move(-1)} aria-keyshortcuts="k p" disabled={keys.count === 0}>
                Previous difference
              </button>
              <button type="button" class="btn btn-small" onClick={() => keys.move(1)} aria-keyshortcuts="j n" disabled={keys.count === 0}>
                Next difference
              </button>
              <span class="faint">
                {keys.count} difference{keys.count === 1 ? '' : 's'}; keys <kbd>j</kbd>/<kbd>k</kbd> or <kbd>n</kbd>/<kbd>p</kbd>
              </span>
            </span>
          </div>
          <p class="visually-hidden" aria-live="polite" data-testid="difference-announcement">
            {keys.announcement}
          </p>
          <div ref={differences}>
            <RequestComparison a={detailA} b={detailB} result={result} strict={strict} />
          </div>
        </>
      )}
    </div>
  );
}
