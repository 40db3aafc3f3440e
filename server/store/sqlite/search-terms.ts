import type { SearchTerm } from '../request-filter.ts';

/**
 * Search terms as an FTS5 query on the index's one column: every term, each a quoted string (so no
 * character of a word is read as FTS5 syntax), `*` after a prefix.
 *
 * @example ftsMatch([{ kind: 'prefix', word: 'tick' }, { kind: 'exact', token: 'binx7a64' }]) // '"tick"* AND "binx7a64"'
 */
export function ftsMatch(terms: readonly SearchTerm[]): string {
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  return terms.map((term) => (term.kind === 'prefix' ? `${quote(term.word)}*` : quote(term.token))).join(' AND ');
}
