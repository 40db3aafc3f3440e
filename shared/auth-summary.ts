import type { AuthSummary } from './api.ts';
import type { Analysis, Severity } from './auth/types.ts';

const severityRank: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** The worst severity among findings, or null when there are none. */
export function worstSeverity(findings: readonly { severity: Severity }[]): Severity | null {
  let worst: Severity | null = null;
  for (const { severity } of findings) {
    if (worst === null || severityRank[severity] > severityRank[worst]) worst = severity;
  }
  return worst;
}

/**
 * Condenses an analysis into what a request list shows about its Authorization header.
 *
 * @example summarizeAuth(analyze({ headers: [['Authorization', 'Basic …']] }))
 * // { scheme: 'Basic', user: 'me@example.com', kind: 'api-token', worst: null }
 */
export function summarizeAuth(analysis: Analysis): AuthSummary {
  const kind = analysis.basic?.kind ?? (analysis.bearer ? (analysis.bearer.jwt ? 'jwt' : 'token') : null);
  return {
    scheme: analysis.schemeRaw,
    user: analysis.basic?.email ?? null,
    kind,
    worst: worstSeverity(analysis.findings),
  };
}
