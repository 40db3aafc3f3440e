import type { SearchTerm } from '../request-filter.ts';
import { searchDocument, words } from '../search.ts';
import type { CapturedRequest } from '../store.ts';

/**
 * Full-text search on PostgreSQL with SQLite's exact word rules: the words are cut out here, by
 * `words()` from search.ts (what SQLite's unicode61 tokenizer does), and handed to PostgreSQL as
 * ready-made lexemes, so its own parser (which keeps `me@example.com` as one token) never runs.
 * The index only narrows; `matchesFilter` has the last word, on both engines.
 */

/** Longer words are cut to this many characters, in the index and in queries alike (a lexeme holds at most 2,047 bytes). */
const maxLexemeChars = 500;
/** A tsvector holds at most 1 MB; a request with more words is marked as one every search must look at. */
const maxVectorBytes = 900_000;
/** No word or fact can be this: `words()` keeps letters and digits only. */
const lookAtAlways = '!unindexed';

const quote = (lexeme: string) => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The `tsvector` literal of a request: its words and facts, each once. */
export function searchVector(request: CapturedRequest): string {
  const lexemes = new Set(words(searchDocument({ ...request, id: '' })).map((word) => word.slice(0, maxLexemeChars)));
  let bytes = 0;
  for (const lexeme of lexemes) bytes += Buffer.byteLength(lexeme) + 8;
  if (bytes > maxVectorBytes) return quote(lookAtAlways);
  return [...lexemes].map(quote).join(' ');
}

/**
 * Search terms as a `tsquery` literal: all of them, or the mark of a request too big to index.
 *
 * @example tsQuery([{ kind: 'prefix', word: 'tick' }, { kind: 'exact', token: 'binx7a64' }]) // "('tick':* & 'binx7a64') | '!unindexed'"
 */
export function tsQuery(terms: readonly SearchTerm[]): string {
  const lexemes = terms.map((term) => {
    const text = term.kind === 'prefix' ? term.word : term.token;
    // A cut word still finds what its whole would: as a prefix.
    const prefix = term.kind === 'prefix' || text.length > maxLexemeChars;
    return `${quote(text.slice(0, maxLexemeChars))}${prefix ? ':*' : ''}`;
  });
  return `(${lexemes.join(' & ')}) | ${quote(lookAtAlways)}`;
}
