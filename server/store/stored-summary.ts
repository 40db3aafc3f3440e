import { summaryParts, type SummaryParts } from '../request-views.ts';
import type { Analysis, HeaderPair } from '../../shared/auth/types.ts';
import type { StoredRequest } from './store.ts';

/**
 * Starts every stored summary. Change it whenever the analysis or the summary's shape changes:
 * summaries stored with another tag are then ignored, and their requests analysed again when listed.
 */
export const summaryTag = 's1:';

/**
 * The text a store keeps beside a request so that listing it needs no analysis: the tag, then the
 * request's Content-Type and Authorization summary as JSON. Pure (a request in, text out), so a
 * background indexer can compute it on any thread.
 *
 * @example storedSummaryText(request)
 * // 's1:{"contentType":"application/json","auth":{"scheme":"Basic","user":"me@example.com","kind":"api-token","worst":null}}'
 */
export function storedSummaryText(request: StoredRequest, known?: { headers: HeaderPair[]; analysis: Analysis }): string {
  return summaryTag + JSON.stringify(summaryParts(request, known));
}

/**
 * Summaries parsed already, by their text. A bin's requests mostly come from a few senders, so a
 * page of 50 holds a handful of distinct summaries: each is parsed once rather than 50 times.
 */
const parsed = new Map<string, SummaryParts>();
const maxParsed = 1024;

/**
 * The summary parts kept in `text`; undefined when there is none yet or it was stored under another tag.
 * Equal texts give the same (frozen) object.
 */
export function readStoredSummary(text: string | null): SummaryParts | undefined {
  if (text === null || !text.startsWith(summaryTag)) return undefined;
  let parts = parsed.get(text);
  if (parts === undefined) {
    parts = JSON.parse(text.slice(summaryTag.length)) as SummaryParts;
    if (parts.auth !== null && typeof parts.auth === 'object') Object.freeze(parts.auth);
    Object.freeze(parts);
    if (parsed.size >= maxParsed) parsed.clear();
    parsed.set(text, parts);
  }
  return parts;
}
