import type { Analysis } from '../../shared/auth/types.ts';
import type { StoredRequest } from './stored-request.ts';
import { analyzedBodyBytes, analyzeStored, bodyText, displayHeaders, signatureInput } from '../request-views.ts';
import { detectSignatures } from '../../shared/signatures/index.ts';

/** What `GET /api/bins/{bin}/requests` can filter on. Every given criterion must hold. */
export interface RequestFilter {
  /** Words, each the start of a word in the path, query, headers or body text (case-insensitive). */
  q?: string;
  /** Exact method, case-insensitive. */
  method?: string;
  /** A header with this name (case-insensitive) whose value contains `value` (case-insensitive). */
  header?: { name: string; value: string };
  /** Received at or after this time (ms since the epoch). */
  since?: number;
  /** An Authorization finding code, e.g. `utf16`. */
  finding?: string;
  /** A detected signature: a scheme (`zendesk`) or a status (`unverified`, `malformed`). */
  signature?: string;
}

/** Body bytes past this are not searched (they are still stored and shown). */
export const searchedBodyBytes = analyzedBodyBytes;

export function isEmptyFilter(filter: RequestFilter): boolean {
  return Object.values(filter).every((value) => value === undefined);
}

/** Words as SQLite's unicode61 tokenizer sees them: runs of letters and digits, lowercased. */
export function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Facts are single tokens of letters and digits, so a search for one never matches part of another. */
const fact = (kind: string, value: string) => `${kind}x${[...new TextEncoder().encode(value.toLowerCase())].map((b) => b.toString(16).padStart(2, '0')).join('')}`;

interface Indexed {
  text: string;
  facts: string[];
}

/**
 * What the search index holds of a request: its words and its facts (method, findings, signatures).
 * `analysis` is the request's Authorization analysis when the caller has it already.
 */
export function indexedContent(stored: StoredRequest, analysis?: Analysis): Indexed {
  // Only the first bytes of a body count, so the index never needs to read more of it.
  const request = {
    ...stored,
    body: stored.body.subarray(0, searchedBodyBytes),
    truncated: stored.truncated || stored.bodySize > searchedBodyBytes,
  };
  const headers = displayHeaders(request);
  const body = request.body.byteLength > 0 ? bodyText(request.body) ?? '' : '';
  const findings = (analysis ?? analyzeStored(request, headers)).findings;
  // Finding signature headers reads no URL, so how requests reach authbin does not matter here.
  const signatures = detectSignatures(signatureInput(request, { tls: false, trustProxy: false }, headers));
  return {
    text: [request.path, request.query, ...headers.map(([name, value]) => `${name} ${value}`), body].join('\n'),
    facts: [
      fact('bin', request.bin),
      fact('method', request.method),
      ...findings.map((f) => fact('finding', f.code)),
      ...signatures.flatMap((s) => [fact('signature', s.scheme), fact('signature', s.status)]),
    ],
  };
}

/** The document stored in the full-text index for a request. */
export function searchDocument(request: StoredRequest, analysis?: Analysis): string {
  const { text, facts } = indexedContent(request, analysis);
  return `${text}\n${facts.join(' ')}`;
}

/**
 * The FTS5 query that finds every request of the bin the filter may match (a superset:
 * `matchesFilter` decides), or null when the filter has nothing the index can narrow by.
 */
export function ftsQuery(filter: RequestFilter, bin: string): string | null {
  const terms: string[] = [];
  const quote = (term: string) => `"${term.replace(/"/g, '""')}"`;
  for (const word of words(filter.q ?? '')) terms.push(`${quote(word)}*`);
  if (filter.header) {
    // The value is matched as a substring, so its first word may begin mid-word: leave that one to matchesFilter.
    for (const word of [...words(filter.header.name), ...words(filter.header.value).slice(1)]) terms.push(`${quote(word)}*`);
  }
  if (filter.method) terms.push(quote(fact('method', filter.method)));
  if (filter.finding) terms.push(quote(fact('finding', filter.finding)));
  if (filter.signature) terms.push(quote(fact('signature', filter.signature)));
  return terms.length > 0 ? [...terms, quote(fact('bin', bin))].join(' AND ') : null;
}

/** The exact meaning of a filter, for requests the index has not seen yet and to confirm what it found. */
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
