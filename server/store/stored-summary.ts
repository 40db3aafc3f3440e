import { summaryParts, type SummaryParts } from '../views.ts';
import type { Analysis } from '../../shared/auth/types.ts';
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
export function storedSummaryText(request: StoredRequest, analysis?: Analysis): string {
  return summaryTag + JSON.stringify(summaryParts(request, analysis));
}

/** The summary parts kept in `text`; undefined when there is none yet or it was stored under another tag. */
export function readStoredSummary(text: string | null): SummaryParts | undefined {
  if (text === null || !text.startsWith(summaryTag)) return undefined;
  return JSON.parse(text.slice(summaryTag.length)) as SummaryParts;
}
