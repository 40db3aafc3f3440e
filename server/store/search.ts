import type { Analysis } from '../../shared/auth/types.ts';
import type { StoredRequest } from './store.ts';
import { analyzedBodyBytes, analyzeStored, signatureInput, storedText, type StoredText } from '../request-views.ts';
import { detectSignatures } from '../../shared/signatures/index.ts';

/**
 * What a full-text index holds of a request, the same on both engines: its words, and facts (method,
 * findings, signatures, bin) as single tokens. How an engine writes them down is its own affair
 * (sqlite/search-terms.ts, postgres/search-terms.ts); what a filter asks of them is request-filter.ts.
 */

/** Body bytes past this are not searched (they are still stored and shown); findings come from all of them. */
export const searchedBodyBytes = analyzedBodyBytes;
/**
 * Words are taken from the first this many characters of a body only: tokenizing and indexing a
 * body's words cost the indexer in proportion to its length, and a search for a word is almost
 * always after one near the top (an event type, an id), while credentials further down are still
 * found through their findings.
 */
export const wordedBodyChars = 16 * 1024;

/** Words as SQLite's unicode61 tokenizer sees them: runs of letters and digits, lowercased. */
export function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** What a fact can be about. */
export type FactKind = 'bin' | 'method' | 'finding' | 'signature';

/**
 * A fact as one token of letters and digits (its value hex-encoded), so that a search for one never
 * matches part of another, nor a word.
 *
 * @example fact('method', 'POST') // 'methodx706f7374'
 */
export function fact(kind: FactKind, value: string): string {
  // Buffer's hex is the same two lowercase digits per UTF-8 byte, without an array and a string per byte.
  return `${kind}x${Buffer.from(value.toLowerCase(), 'utf8').toString('hex')}`;
}

interface Indexed {
  text: string;
  facts: string[];
}

/**
 * What the search index holds of a request: its words and its facts (method, findings, signatures).
 * `text` and `analysis` are the request read as text and analysed, when the caller has them already.
 */
export function indexedContent(request: StoredRequest, text: StoredText = storedText(request), analysis: Analysis = analyzeStored(request, text)): Indexed {
  // Only the first bytes of a body count (those `text` holds), so the index never needs to read more of it.
  const { headers } = text;
  const body = text.body?.slice(0, wordedBodyChars) ?? '';
  // Finding signature headers reads no URL, so how requests reach authbin does not matter here.
  const signatures = detectSignatures({
    ...signatureInput(request, { tls: false, trustProxy: false }, headers),
    body: request.body.subarray(0, searchedBodyBytes),
    bodyTruncated: request.truncated || request.bodySize > searchedBodyBytes,
  });
  return {
    text: [request.path, request.query, ...headers.map(([name, value]) => `${name} ${value}`), body].join('\n'),
    facts: [
      fact('bin', request.bin),
      fact('method', request.method),
      ...analysis.findings.map((f) => fact('finding', f.code)),
      ...signatures.flatMap((s) => [fact('signature', s.scheme), fact('signature', s.status)]),
    ],
  };
}

/** The document stored in the full-text index for a request: its text, then its facts. */
export function searchDocument(request: StoredRequest, text?: StoredText, analysis?: Analysis): string {
  const { text: words, facts } = indexedContent(request, text, analysis);
  return `${words}\n${facts.join(' ')}`;
}
