import type { AuthSummary } from '../../shared/api.ts';
import type { Severity } from '../../shared/auth/types.ts';

/** `ok` when the analysis found nothing worse than info, `none` for a request without credentials. */
export type BadgeTone = Severity | 'ok' | 'none';

export interface AuthBadgeInfo {
  label: string;
  tone: BadgeTone;
}

const KIND_LABEL = { password: 'password', 'api-token': 'api-token', jwt: 'JWT', token: 'token' } as const;

/**
 * A list row's auth badge: "Basic · api-token · me@example.com", "Bearer · JWT", "none",
 * coloured by the worst finding (a request without credentials can still have errors, e.g. a token in the URL).
 */
export function authBadge(auth: AuthSummary): AuthBadgeInfo {
  const worst = auth.worst === 'error' || auth.worst === 'warning' ? auth.worst : null;
  if (auth.scheme === null) return { label: 'none', tone: worst ?? 'none' };
  const scheme = auth.scheme.charAt(0).toUpperCase() + auth.scheme.slice(1).toLowerCase();
  const parts = [scheme, auth.kind ? KIND_LABEL[auth.kind] : null, auth.user].filter((part): part is string => !!part);
  return { label: parts.join(' · '), tone: worst ?? 'ok' };
}
