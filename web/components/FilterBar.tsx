import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { findingCodes } from '../../shared/auth/index.ts';
import { filterFromQuery, filterSearch, isFilterActive, type FilterKey, type RequestFilter } from '../lib/request-filter.ts';
import { SCHEME_LABEL, SIGNATURE_SCHEMES } from '../lib/signature-verdict.ts';
import './FilterBar.css';

// Typing settles for this long before the list is filtered (and the page URL changes).
export const FILTER_TYPING_MS = 300;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

interface FilterBarProps {
  /** The filter in force (from the page URL). */
  filter: RequestFilter;
  onChange: (filter: RequestFilter) => void;
}

/** Free text and quick filters over a bin's requests; changes apply once typing pauses, or at once on Enter. */
export function FilterBar({ filter, onChange }: FilterBarProps) {
  const [draft, setDraft] = useState<RequestFilter>(filter);
  const applied = useRef(filterSearch(filter));
  // The page re-renders (and hands a new onChange) as requests arrive; the typing pause must not restart with it.
  const latestOnChange = useRef(onChange);
  latestOnChange.current = onChange;

  // The filter changed from outside (back button, "Clear filter"): show it.
  useEffect(() => {
    const current = filterSearch(filter);
    if (current !== applied.current) {
      applied.current = current;
      setDraft(filter);
    }
  }, [filter]);

  const apply = useCallback((next: RequestFilter) => {
    const search = filterSearch(next);
    if (search === applied.current) return;
    applied.current = search;
    latestOnChange.current(filterFromQuery(next));
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => apply(draft), FILTER_TYPING_MS);
    return () => clearTimeout(timer);
  }, [apply, draft]);

  const text = (key: FilterKey) => ({
    value: draft[key] ?? '',
    onInput: (e: Event) => setDraft({ ...draft, [key]: (e.currentTarget as HTMLInputElement).value }),
  });
  const choose = (key: FilterKey) => ({
    value: draft[key] ?? '',
    onChange: (e: Event) => {
      const next = { ...draft, [key]: (e.currentTarget as HTMLSelectElement).value };
      setDraft(next);
      apply(next);
    },
  });
  const methods = draft.method && !METHODS.includes(draft.method) ? [...METHODS, draft.method] : METHODS;

  return (
    <form
      class="filter-bar"
      role="search"
      aria-label="Filter requests"
      onSubmit={(e) => {
        e.preventDefault();
        apply(draft);
      }}
    >
      <input type="search" class="filter-q" aria-label="Search requests" placeholder="Search path, headers, body…" spellcheck={false} {...text('q')} />
      <select class="filter-method" aria-label="Method" {...choose('method')}>
        <option value="">Any method</option>
        {methods.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
      <input type="text" class="filter-header mono" aria-label="Header (name or name:value)" placeholder="Header[:value]" spellcheck={false} {...text('header')} />
      <input type="text" class="filter-finding mono" aria-label="Auth finding code" placeholder="Finding code" list="filter-finding-codes" spellcheck={false} {...text('finding')} />
      <datalist id="filter-finding-codes">
        {findingCodes.map((code) => (
          <option key={code} value={code} />
        ))}
      </datalist>
      <select class="filter-signature" aria-label="Signature" {...choose('signature')}>
        <option value="">Any signature</option>
        <optgroup label="Signed by">
          {SIGNATURE_SCHEMES.map((scheme) => (
            <option key={scheme} value={scheme}>
              {SCHEME_LABEL[scheme]}
            </option>
          ))}
        </optgroup>
        <optgroup label="Signature header">
          <option value="unverified">readable</option>
          <option value="malformed">malformed</option>
        </optgroup>
      </select>
      {isFilterActive(draft) && (
        <button
          type="button"
          class="btn btn-small"
          onClick={() => {
            setDraft({});
            apply({});
          }}
        >
          Clear filter
        </button>
      )}
    </form>
  );
}
