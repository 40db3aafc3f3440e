import { useEffect, useId, useState } from 'preact/hooks';
import type { RequestDetail } from '../../shared/api.ts';
import type { SignatureComparison } from '../../shared/compare/index.ts';
import type { SignatureReport, SignatureScheme } from '../../shared/signatures/index.ts';
import { SCHEME_LABEL } from '../../shared/signatures/scheme-names.ts';
import { signatureInputOf } from '../lib/signature-input.ts';
import { STATUS_LABEL } from '../lib/signature-verdict.ts';
import { verifySignatures } from '../lib/verify-signatures.ts';
import { useAppState } from '../state/context.ts';
import './SignaturePanel.css';

interface Checked {
  secret: string;
  a: SignatureReport[];
  b: SignatureReport[];
}

const STATUS_MARK = { valid: '✓', invalid: '✗', malformed: '✗', unverified: '?' } as const;

/** Both sides verified with `secret` in this browser (Web Crypto), shortly after the user stops typing. */
function useChecks(a: RequestDetail, b: RequestDetail, secret: string): Checked | null {
  const [checked, setChecked] = useState<Checked | null>(null);
  useEffect(() => {
    if (secret === '') return;
    let live = true;
    const timer = setTimeout(() => {
      void Promise.all([verifySignatures(signatureInputOf(a), { secret }), verifySignatures(signatureInputOf(b), { secret })]).then(
        ([reportsA, reportsB]) => live && setChecked({ secret, a: reportsA, b: reportsB }),
      );
    }, 80);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [a, b, secret]);
  return secret === '' ? null : checked;
}

function outcome(scheme: SignatureScheme, a: SignatureReport | undefined, b: SignatureReport | undefined): string {
  const verifies = (r: SignatureReport | undefined) => r?.status === 'valid';
  const label = SCHEME_LABEL[scheme];
  if (verifies(a) && verifies(b)) return `With this secret, both ${label} signatures verify.`;
  if (verifies(a)) return `With this secret, A's ${label} signature verifies and B's does not.`;
  if (verifies(b)) return `With this secret, B's ${label} signature verifies and A's does not.`;
  return `With this secret, neither ${label} signature verifies.`;
}

function Verdict({ report }: { report: SignatureReport | undefined }) {
  if (!report) return <span class="faint">—</span>;
  const first = report.findings[0];
  return (
    <>
      <span class={`signature-status is-${report.status}`}>
        {STATUS_MARK[report.status]} {STATUS_LABEL[report.status]}
      </span>
      {first && <span class="comparison-check-note">{first.message}</span>}
    </>
  );
}

/**
 * The signatures of both requests: which signed input differs (computed without a secret), and, once the user
 * types the signing secret, which side verifies. The secret stays in this tab: it is never sent to authbin.
 */
export function CompareSignatures({ a, b, comparison }: { a: RequestDetail; b: RequestDetail; comparison: SignatureComparison }) {
  const id = useId();
  const secrets = useAppState().signatureSecrets;
  const [secret, setSecret] = useState(() => (secrets.forBin(a.bin).value ?? secrets.forBin(b.bin).value)?.secret ?? '');
  const checked = useChecks(a, b, secret);
  const schemes = [...comparison.schemes.map((s) => s.scheme), ...comparison.onlyInA, ...comparison.onlyInB];
  return (
    <div class="comparison-signatures">
      <ul class="comparison-notes" aria-label="Signature differences">
        {comparison.schemes.map((s) => (
          <li key={s.scheme} {...(s.summary !== '' && { 'data-difference': `${SCHEME_LABEL[s.scheme]} signature`, tabIndex: -1 })}>
            {s.summary || `${SCHEME_LABEL[s.scheme]}: the same signature over the same inputs.`}
          </li>
        ))}
        {comparison.onlyInA.length + comparison.onlyInB.length > 0 &&
          comparison.summary
            .filter((sentence) => sentence.startsWith('Only '))
            .map((sentence) => (
              <li key={sentence} data-difference={sentence} tabIndex={-1}>
                {sentence}
              </li>
            ))}
      </ul>
      <div class="field signature-secret">
        <label for={`${id}-secret`}>Signing secret, to see which one verifies</label>
        <input
          id={`${id}-secret`}
          type="password"
          value={secret}
          placeholder="Paste the webhook's signing secret"
          autoComplete="off"
          spellcheck={false}
          onInput={(e) => setSecret(e.currentTarget.value)}
        />
        <span class="faint signature-privacy">Checked in this browser: the secret is never sent to authbin.</span>
      </div>
      {checked && (
        <table class="comparison-table" aria-label="Signature checks">
          <thead>
            <tr>
              <th scope="col">Sender</th>
              <th scope="col">A</th>
              <th scope="col">B</th>
            </tr>
          </thead>
          <tbody>
            {schemes.map((scheme) => {
              const reportA = checked.a.find((r) => r.scheme === scheme);
              const reportB = checked.b.find((r) => r.scheme === scheme);
              return (
                <tr key={scheme} data-scheme={scheme}>
                  <th scope="row">{SCHEME_LABEL[scheme]}</th>
                  <td>
                    <Verdict report={reportA} />
                  </td>
                  <td>
                    <Verdict report={reportB} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {checked && (
        <p role="status" class="comparison-check-outcome" data-testid="signature-outcome">
          {schemes.map((scheme) => outcome(scheme, checked.a.find((r) => r.scheme === scheme), checked.b.find((r) => r.scheme === scheme))).join(' ')}
        </p>
      )}
    </div>
  );
}
