import type { RequestSummary } from '../../shared/api.ts';
import type { Analysis, AnalyzeInput, Expected, HeaderPair } from '../../shared/auth/types.ts';
import { isComplete } from './expected.ts';

export type Analyze = (input: AnalyzeInput) => Analysis;

/** Whether a row needs its headers fetched to show ✓/✗: only when there is a complete expectation to check. */
export function rowNeedsHeaders(summary: Pick<RequestSummary, 'auth'>, expected: Expected | null): boolean {
  if (!expected || !isComplete(expected)) return false;
  return summary.auth.scheme !== null || expected.kind === 'api-key';
}

/**
 * Whether a listed request carries the expected credentials: true/false, or null when there is nothing to check
 * or its headers are not loaded yet. Without an Authorization header it cannot match, unless an API key header is expected.
 */
export function rowMatch(
  summary: Pick<RequestSummary, 'auth'>,
  headers: HeaderPair[] | undefined,
  expected: Expected | null,
  analyze: Analyze,
): boolean | null {
  if (!expected || !isComplete(expected)) return null;
  if (summary.auth.scheme === null && expected.kind !== 'api-key') return false;
  if (!headers) return null;
  return analyze({ headers, expected }).comparison?.match ?? null;
}
