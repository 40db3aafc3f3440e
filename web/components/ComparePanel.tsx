import { useMemo } from 'preact/hooks';
import type { Comparison, Expected, HeaderPair } from '../../shared/auth/types.ts';
import { analyze, canonicalHeader, snippets } from '../../shared/auth/index.ts';
import { isComplete, partLabel, sentence } from '../lib/expected.ts';
import { CopyButton } from './CopyButton.tsx';
import { ExpectedForm } from './ExpectedForm.tsx';
import { Snippets } from './Snippets.tsx';
import './ComparePanel.css';

interface ComparePanelProps {
  /** The headers to compare against the expectation; null when there is nothing to compare yet. */
  headers: HeaderPair[] | null;
  expected: Expected | null;
  onChange: (expected: Expected | null) => void;
  idPrefix: string;
}

/**
 * Compares a request with what the user meant to send, in the browser (expected secrets never leave it),
 * and shows the correct header with code that sends it.
 */
export function ComparePanel({ headers, expected, onChange, idPrefix }: ComparePanelProps) {
  const complete = expected !== null && isComplete(expected);
  const comparison = useMemo<Comparison | undefined>(
    () => (complete && headers ? analyze({ headers, expected: expected as Expected }).comparison : undefined),
    [headers, expected, complete],
  );
  const canonical = useMemo(() => (complete ? canonicalHeader(expected as Expected) : null), [expected, complete]);
  const code = useMemo(() => (complete ? snippets(expected as Expected) : []), [expected, complete]);

  return (
    <div class="compare-panel">
      <ExpectedForm expected={expected} onChange={onChange} idPrefix={idPrefix} />
      {expected && !complete && <p class="faint compare-hint">Fill in the fields to compare.</p>}
      {comparison && expected && (
        <div class={`compare-result ${comparison.match ? 'is-match' : 'is-different'}`} role="status" data-testid="compare-result">
          <strong class="compare-verdict">{comparison.match ? 'MATCH' : 'DIFFERENT'}</strong>
          {comparison.match ? (
            <span>The request carries exactly the credentials you expected.</span>
          ) : (
            <ul class="compare-differences">
              {comparison.differences.map((d, i) => (
                <li key={i} data-part={d.part}>
                  <span class="compare-part">{partLabel(d.part, expected)}</span> {sentence(d.message)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {canonical && (
        <div class="compare-canonical">
          <h3>The correct header</h3>
          <div class="compare-header-line">
            <code data-testid="canonical-header">
              {canonical.name}: {canonical.value}
            </code>
            <CopyButton text={canonical.value} label="Copy correct header value" />
          </div>
        </div>
      )}
      {code.length > 0 && (
        <div>
          <h3>Send it with</h3>
          <Snippets snippets={code} idPrefix={idPrefix} />
        </div>
      )}
      {expected && (
        <button type="button" class="btn-link compare-forget" onClick={() => onChange(null)}>
          Forget expected credentials
        </button>
      )}
    </div>
  );
}
