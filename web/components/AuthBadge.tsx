import type { AuthBadgeInfo } from '../lib/auth-badge.ts';
import './AuthBadge.css';

const TONE_TEXT: Record<AuthBadgeInfo['tone'], string> = {
  error: 'has errors',
  warning: 'has warnings',
  info: 'looks right',
  ok: 'looks right',
  none: 'no credentials',
};

/** "Basic · api-token · me@example.com", coloured by the worst finding. */
export function AuthBadge({ badge }: { badge: AuthBadgeInfo }) {
  return (
    <span class={`auth-badge tone-${badge.tone}`} title={`Authorization: ${badge.label} (${TONE_TEXT[badge.tone]})`}>
      {badge.label}
    </span>
  );
}
