import type { RequestSummary } from '../../shared/api.ts';

/**
 * Merges new summaries into a newest-first list: request ids sort in arrival order, so the list stays ordered
 * by id descending, and a request that arrives twice (live event and page fetch) is kept once.
 */
export function mergeNewestFirst(list: readonly RequestSummary[], incoming: readonly RequestSummary[]): RequestSummary[] {
  if (incoming.length === 0) return list as RequestSummary[];
  const known = new Set(list.map((r) => r.id));
  const fresh = incoming.filter((r) => !known.has(r.id) && (known.add(r.id), true));
  if (fresh.length === 0) return list as RequestSummary[];
  const merged = [...list, ...fresh];
  merged.sort((a, b) => compareIds(b.id, a.id));
  return merged;
}

/** Orders request ids oldest first; all-digit ids compare as numbers ("9" before "10"), others as strings. */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
