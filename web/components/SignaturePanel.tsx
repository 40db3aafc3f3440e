import { useEffect, useId, useMemo, useState } from 'preact/hooks';
import type { RequestDetail } from '../../shared/api.ts';
import type { SignatureReport, SignatureScheme } from '../../shared/signatures/index.ts';
import { ZENDESK_TEST_SECRET } from '../../shared/signatures/schemes/zendesk.ts';
import { signatureInputOf, verifyOptions } from '../lib/signature-input.ts';
import { SCHEME_LABEL, SIGNATURE_SCHEMES, rowSignature } from '../lib/signature-verdict.ts';
import { verifySignatures } from '../lib/verify-signatures.ts';
import { usableSettings, type SignatureSettings } from '../state/signature-secrets.ts';
import { SignatureReports } from './SignatureReports.tsx';
import './SignaturePanel.css';

interface SignaturePanelProps {
  request: RequestDetail;
  /** The bin's signing secret and choices, as remembered in this tab. */
  settings: SignatureSettings | null;
  onChange: (settings: SignatureSettings | null) => void;
}

interface Verified {
  key: string;
  requestId: string;
  reports: SignatureReport[];
}

const VERDICT_TEXT = {
  valid: '✓ Valid',
  invalid: '✗ Invalid',
  unchecked: 'Not checked',
  unsigned: 'No signature',
} as const;

/** Verifies the request with the settings in this browser (Web Crypto), shortly after the user stops typing. */
function useVerification(request: RequestDetail, settings: SignatureSettings | null): { reports: SignatureReport[] | null; stale: boolean } {
  const input = useMemo(() => signatureInputOf(request), [request]);
  const key = settings ? JSON.stringify([request.id, verifyOptions(settings)]) : null;
  const [verified, setVerified] = useState<Verified | null>(null);
  useEffect(() => {
    if (!settings || key === null) return;
    let live = true;
    const timer = setTimeout(() => {
      void verifySignatures(input, verifyOptions(settings)).then((reports) => live && setVerified({ key, requestId: request.id, reports }));
    }, 80);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [input, key, settings, request.id]);
  if (key === null) return { reports: null, stale: false };
  // While the secret is being typed, the last result stays (dimmed) rather than flickering away.
  const sameRequest = verified?.requestId === request.id;
  return { reports: sameRequest ? verified.reports : null, stale: verified?.key !== key };
}

/**
 * The webhook signatures a request carries, and a secret box that verifies them in this browser: the secret is
 * kept for the bin in this tab and never sent to the server.
 */
export function SignaturePanel({ request, settings, onChange }: SignaturePanelProps) {
  const id = useId();
  const [reveal, setReveal] = useState(false);
  const detected = request.analysis.signatures;
  const usable = usableSettings(settings);
  const { reports, stale } = useVerification(request, usable);
  const detectedSchemes = [...new Set(detected.map((r) => r.scheme))];
  const pickable: SignatureScheme[] = detectedSchemes.length > 0 ? detectedSchemes : [...SIGNATURE_SCHEMES];
  if (settings?.scheme && !pickable.includes(settings.scheme)) pickable.push(settings.scheme);
  const scheme = settings?.scheme;
  const fits = (s: SignatureScheme) => (scheme ? scheme === s : detectedSchemes.includes(s));
  const update = (patch: Partial<SignatureSettings>) => {
    const next: SignatureSettings = { secret: settings?.secret ?? '', ...(scheme && { scheme }), ...(settings?.url && { url: settings.url }), ...patch };
    if (!next.scheme) delete next.scheme;
    if (!next.url) delete next.url;
    onChange(next);
  };
  const verdict = reports ? rowSignature(reports) : null;
  const offerTestSecret = fits('zendesk') && settings?.secret !== ZENDESK_TEST_SECRET;

  return (
    <div class="signature-panel">
      {detected.length === 0 && <p class="muted signature-none">This request carries no webhook signature headers.</p>}
      <div class="signature-form">
        <div class="field signature-secret">
          <label for={`${id}-secret`}>Signing secret</label>
          <div class="signature-secret-row">
            <input
              id={`${id}-secret`}
              // Preact's types tie `type` to a literal; both kinds take the same attributes here.
              type={(reveal ? 'text' : 'password') as 'text'}
              value={settings?.secret ?? ''}
              placeholder="Paste the webhook's signing secret"
              autoComplete="off"
              spellcheck={false}
              onInput={(e) => update({ secret: e.currentTarget.value })}
            />
            <button type="button" class="btn btn-small" aria-pressed={reveal} aria-label={reveal ? 'Hide signing secret' : 'Show signing secret'} onClick={() => setReveal(!reveal)}>
              {reveal ? 'Hide' : 'Show'}
            </button>
          </div>
          <span class="faint signature-privacy">Checked in this browser: the secret stays in this tab and is never sent to authbin.</span>
        </div>
        {(detectedSchemes.length !== 1 || scheme) && (
          <label class="field signature-scheme">
            <span>Sender</span>
            <select value={scheme ?? ''} onChange={(e) => update({ scheme: (e.currentTarget.value || undefined) as SignatureScheme | undefined })}>
              <option value="">{detectedSchemes.length > 0 ? 'Every detected scheme' : 'Pick the sender…'}</option>
              {pickable.map((s) => (
                <option key={s} value={s}>
                  {SCHEME_LABEL[s]}
                </option>
              ))}
            </select>
          </label>
        )}
        {fits('twilio') && (
          <label class="field signature-url">
            <span>URL the sender called</span>
            <input type="text" value={settings?.url ?? ''} placeholder={request.url} autoComplete="off" spellcheck={false} onInput={(e) => update({ url: e.currentTarget.value })} />
          </label>
        )}
      </div>
      {(offerTestSecret || settings) && (
        <div class="signature-actions">
          {offerTestSecret && (
            <button
              type="button"
              class="btn btn-small"
              title="Zendesk signs the “Test webhook” requests sent from Admin Center with this documented secret"
              onClick={() => update({ secret: ZENDESK_TEST_SECRET })}
            >
              Use Zendesk test secret
            </button>
          )}
          {settings && (
            <button type="button" class="btn-link signature-forget" onClick={() => onChange(null)}>
              Forget signing secret
            </button>
          )}
        </div>
      )}
      {verdict && (
        <p class={`signature-verdict is-${verdict.verdict} ${stale ? 'is-stale' : ''}`} role="status" data-testid="signature-verdict" aria-busy={stale}>
          <strong>{VERDICT_TEXT[verdict.verdict]}</strong> {verdict.verdict !== 'unsigned' && <span>{verdict.label} signature</span>}
        </p>
      )}
      {!verdict && usable && <p class="faint signature-checking">Verifying…</p>}
      {(reports ?? detected).length > 0 && (
        <div class={stale ? 'is-stale' : undefined}>
          <SignatureReports reports={reports ?? detected} />
        </div>
      )}
    </div>
  );
}
