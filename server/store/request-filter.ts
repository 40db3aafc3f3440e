import { displayHeaders } from '../request-views.ts';
import { fact, indexedContent, words } from './search.ts';
import type { RequestFilter, StoredRequest } from './store.ts';

/**
 * One thing a full-text index is asked for: a word that starts with `word`, or exactly `token` (a
 * fact, see search.ts). Each engine writes these in its own query syntax.
 */
export type SearchTerm = { kind: 'prefix'; word: string } | { kind: 'exact'; token: string };

export function isEmptyFilter(filter: RequestFilter): boolean {
  return Object.values(filter).every((value) => value === undefined);
}

/**
 * The terms that every request of `bin` the filter matches holds in the index, all of them (so
 * the index finds a superset: `matchesFilter` decides), or null when the filter has nothing an
 * index can narrow by.
 *
 * @example searchTerms({ q: 'tick', method: 'POST' }, 'zd')
 * // [{ kind: 'prefix', word: 'tick' }, { kind: 'exact', token: 'methodx706f7374' }, { kind: 'exact', token: 'binx7a64' }]
 */
export function searchTerms(filter: RequestFilter, bin: string): SearchTerm[] | null {
  const terms: SearchTerm[] = words(filter.q ?? '').map((word) => ({ kind: 'prefix', word }));
  if (filter.header) {
    // The value is matched as a substring, so its first word may begin mid-word: leave that one to matchesFilter.
    for (const word of [...words(filter.header.name), ...words(filter.header.value).slice(1)]) terms.push({ kind: 'prefix', word });
  }
  if (filter.method) terms.push({ kind: 'exact', token: fact('method', filter.method) });
  if (filter.finding) terms.push({ kind: 'exact', token: fact('finding', filter.finding) });
  if (filter.signature) terms.push({ kind: 'exact', token: fact('signature', filter.signature) });
  return terms.length > 0 ? [...terms, { kind: 'exact', token: fact('bin', bin) }] : null;
}

/** The exact meaning of a filter, for requests no index has seen yet and to confirm what one found. */
export function matchesFilter(request: StoredRequest, filter: RequestFilter): boolean {
  if (filter.since !== undefined && request.receivedAt < filter.since) return false;
  if (filter.method && request.method.toLowerCase() !== filter.method.toLowerCase()) return false;
  if (filter.header) {
    const name = filter.header.name.toLowerCase();
    const value = filter.header.value.toLowerCase();
    if (!displayHeaders(request).some(([n, v]) => n.toLowerCase() === name && v.toLowerCase().includes(value))) return false;
  }
  if (!filter.q && !filter.finding && !filter.signature) return true;
  const { text, facts } = indexedContent(request);
  if (filter.finding && !facts.includes(fact('finding', filter.finding))) return false;
  if (filter.signature && !facts.includes(fact('signature', filter.signature))) return false;
  if (filter.q) {
    const have = words(text);
    if (!words(filter.q).every((word) => have.some((h) => h.startsWith(word)))) return false;
  }
  return true;
}
