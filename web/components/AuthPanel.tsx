import type { Analysis, JwtInfo } from '../../shared/auth/types.ts';
import { formatJson } from '../lib/json-format.ts';
import { formatTimestamp, relativeTime } from '../lib/time-ago.ts';
import { useAppState } from '../state/context.ts';
import { CodeView } from './CodeView.tsx';
import { CopyButton } from './CopyButton.tsx';
import { Findings } from './Findings.tsx';
import { SecretText } from './SecretText.tsx';
import './AuthPanel.css';

const ENCODING_LABEL = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE', latin1: 'Latin-1' } as const;

interface AuthPanelProps {
  analysis: Analysis;
  /** The Authorization header's value as sent, for the copy button; null when there is none. */
  headerValue: string | null;
}

/** What the Authorization header says: scheme, decoded credentials (secret masked), JWT claims, and every finding. */
export function AuthPanel({ analysis, headerValue }: AuthPanelProps) {
  return (
    <div class="auth-panel">
      {!analysis.present ? (
        analysis.findings.length === 0 && <p class="auth-absent">There is no Authorization header.</p>
      ) : (
        <dl class="auth-facts">
          <dt>Scheme</dt>
          <dd>
            <code>{analysis.schemeRaw ?? analysis.scheme}</code>
          </dd>
          {analysis.basic && (
            <>
              <dt>Kind</dt>
              <dd>{analysis.basic.kind === 'api-token' ? 'API token (email/token:token)' : 'Password (email:password)'}</dd>
              <dt>{analysis.basic.kind === 'api-token' ? 'Email' : 'Username'}</dt>
              <dd>
                <code data-testid="auth-user">{analysis.basic.kind === 'api-token' ? analysis.basic.email : analysis.basic.user}</code>
              </dd>
              <dt>{analysis.basic.kind === 'api-token' ? 'API token' : 'Password'}</dt>
              <dd>
                <SecretText secret={analysis.basic.secret} label={analysis.basic.kind === 'api-token' ? 'API token' : 'password'} />
              </dd>
              <dt>Encoding</dt>
              <dd class={analysis.basic.encoding === 'utf-8' ? undefined : 'auth-wrong'}>{ENCODING_LABEL[analysis.basic.encoding]}</dd>
            </>
          )}
          {analysis.bearer && (
            <>
              <dt>Token</dt>
              <dd>
                <SecretText secret={analysis.bearer.token} label="bearer token" />
              </dd>
            </>
          )}
          {headerValue !== null && (
            <>
              <dt>Header</dt>
              <dd class="auth-header-value">
                <code>{headerValue}</code>
                <CopyButton text={headerValue} label="Copy Authorization header value" />
              </dd>
            </>
          )}
        </dl>
      )}
      {analysis.bearer?.jwt && <JwtView jwt={analysis.bearer.jwt} />}
      <Findings findings={analysis.findings} />
    </div>
  );
}

function JwtView({ jwt }: { jwt: JwtInfo }) {
  const now = useAppState().now.value;
  return (
    <div class="jwt-view">
      <p class="jwt-times">
        <strong>JWT</strong>
        {jwt.issuedAt && <span> · issued {formatTimestamp(jwt.issuedAt)}</span>}
        {jwt.expiresAt && (
          <span class={jwt.expired ? 'auth-wrong' : undefined}>
            {' '}
            · {jwt.expired ? 'expired' : 'expires'} {formatTimestamp(jwt.expiresAt)} ({relativeTime(jwt.expiresAt, now)})
          </span>
        )}
      </p>
      <div class="jwt-parts">
        <div>
          <h3>JWT header</h3>
          <CodeView tokens={formatJson(JSON.stringify(jwt.header))} label="JWT header" />
        </div>
        <div>
          <h3>JWT payload</h3>
          <CodeView tokens={formatJson(JSON.stringify(jwt.payload))} label="JWT payload" />
        </div>
      </div>
    </div>
  );
}
