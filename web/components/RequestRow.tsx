import type { RequestSummary } from '../../shared/api.ts';
import type { Expected, HeaderPair } from '../../shared/auth/types.ts';
import { analyze } from '../../shared/auth/index.ts';
import { authBadge } from '../lib/auth-badge.ts';
import { formatBytes } from '../lib/format-bytes.ts';
import { rowMatch } from '../lib/row-match.ts';
import type { RowSignature } from '../lib/signature-verdict.ts';
import { AuthBadge } from './AuthBadge.tsx';
import { MethodTag } from './MethodTag.tsx';
import { TimeAgo } from './TimeAgo.tsx';

export const ROW_HEIGHT = 58;

interface RequestRowProps {
  summary: RequestSummary;
  href: string;
  index: number;
  selected: boolean;
  /** Headers of the request, once fetched for the ✓/✗ check. */
  headers: HeaderPair[] | undefined;
  expected: Expected | null;
  /** The signature check against the bin's secret, once done. */
  signature?: RowSignature | undefined;
  /** Picked for comparison; the checkbox shows only when `onPick` is given. */
  picked?: boolean;
  onPick?: ((id: string) => void) | undefined;
}

const SIGNATURE_MARK = { valid: '✓', invalid: '✗', unchecked: '?', unsigned: '' } as const;
const SIGNATURE_SPOKEN = { valid: 'signature valid', invalid: 'signature invalid', unchecked: 'signature not checked', unsigned: 'no signature' } as const;

/** One request in the list: method, path, auth badge, size, age, and ✓/✗ against the expected credentials. */
export function RequestRow({ summary, href, index, selected, headers, expected, signature, picked = false, onPick }: RequestRowProps) {
  const badge = authBadge(summary.auth);
  const match = rowMatch(summary, headers, expected, analyze);
  const target = summary.path + (summary.query ? '?' + summary.query : '');
  return (
    <div role="listitem" class="request-row-slot" style={{ top: `${index * ROW_HEIGHT}px`, height: `${ROW_HEIGHT}px` }}>
      {onPick && (
        <input
          type="checkbox"
          class="request-row-pick"
          checked={picked}
          aria-label={`Pick ${summary.method} ${target} to compare`}
          onChange={() => onPick(summary.id)}
        />
      )}
      <a
        class="request-row"
        href={href}
        aria-current={selected ? 'true' : undefined}
        data-request-id={summary.id}
        onClick={(event) => {
          // Shift-click picks the request for comparison instead of opening it.
          if (!onPick || !event.shiftKey) return;
          event.preventDefault();
          onPick(summary.id);
        }}
      >
        <span class="request-row-line">
          <MethodTag method={summary.method} />
          <span class="request-row-path mono" title={target}>
            {target}
          </span>
          {match !== null && (
            <span class={`request-row-match ${match ? 'is-match' : 'is-mismatch'}`} title={match ? 'Matches the expected credentials' : 'Does not match the expected credentials'}>
              {match ? '✓' : '✗'}
              <span class="visually-hidden">{match ? ' matches expected' : ' does not match expected'}</span>
            </span>
          )}
        </span>
        <span class="request-row-line request-row-meta">
          {summary.rejected && (
            <span class="request-row-refused" title="The HTTP parser refused this request; the sender got 400">
              Refused
            </span>
          )}
          <AuthBadge badge={badge} />
          {signature && (
            <span
              class={`request-row-signature is-${signature.verdict} ${signature.caveat ? 'has-caveat' : ''}`}
              title={signature.detail}
              data-testid="row-signature"
            >
              {SIGNATURE_MARK[signature.verdict] && `${SIGNATURE_MARK[signature.verdict]} `}
              {signature.label}
              <span class="visually-hidden">: {SIGNATURE_SPOKEN[signature.verdict]}</span>
            </span>
          )}
          <span class="request-row-size">{formatBytes(summary.size)}</span>
          <TimeAgo class="request-row-time" time={summary.receivedAt} />
        </span>
      </a>
    </div>
  );
}
