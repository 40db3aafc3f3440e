import { SCHEME_LABEL, type SignatureScheme } from '../signatures/scheme-names.ts';
import { describeDuration } from '../signatures/timestamps.ts';
import type { Finding, SignatureReport } from '../signatures/types.ts';

/** The near-misses `verifySignatures` recognises when the secret does not verify, said short enough for a reason header. */
function nearMiss(finding: Finding | undefined): string | undefined {
  switch (finding?.code) {
    case 'signed-with-test-secret':
      return 'it was made with Zendesk\'s test secret ("Test webhook" in Admin Center), not this one';
    case 'secret-decoded-by-mistake':
      return `it matches the secret ${/the (\w+)-decoded secret/.exec(finding.message)?.[1] ?? 'base64'}-decoded, while the sender keys the HMAC with the secret's text`;
    case 'secret-needs-decoding':
      return 'it matches the secret\'s text used as the key, while Standard Webhooks keys the HMAC with the base64-decoded bytes after "whsec_"';
    case 'secret-prefix-stripped':
      return 'it matches the secret without its "whsec_" prefix, which Stripe keeps in the key';
    case 'signed-reserialised-body':
      return 'it matches the body re-serialised as compact JSON, not the bytes that were sent: the sender signed another serialisation than it sent';
    default:
      return undefined;
  }
}

/**
 * Whether a rule's `signature` condition holds on what `verifySignatures` reported, and why not:
 * no signature or another scheme's, the test secret, a key used decoded or raw, a re-serialised
 * body, or a signature that verifies on a timestamp outside the sender's documented window.
 * `present` are the schemes the request carries (`detectSignatures`), to name another scheme.
 *
 * @example
 * signatureOutcome([], ['stripe'], 'zendesk'); // { holds: false, reason: 'the request carries a Stripe signature, not a Zendesk one' }
 */
export function signatureOutcome(reports: SignatureReport[], present: SignatureScheme[], asked?: SignatureScheme): { holds: boolean; reason: string } {
  const report = reports.find((each) => each.status === 'valid') ?? reports[0];
  const missing = !report || report.findings.some((finding) => finding.code === 'signature-missing');
  if (missing) {
    const other = present.find((scheme) => scheme !== asked);
    if (asked && other) return { holds: false, reason: `the request carries a ${SCHEME_LABEL[other]} signature, not a ${SCHEME_LABEL[asked]} one` };
    return { holds: false, reason: asked ? `no ${SCHEME_LABEL[asked]} signature was sent` : 'no signature was sent' };
  }
  const label = SCHEME_LABEL[report.scheme];
  if (report.status === 'valid') {
    const stale = report.findings.find((finding) => finding.code === 'timestamp-outside-tolerance' && finding.severity === 'error');
    if (stale && report.ageSeconds !== undefined) {
      const age = describeDuration(report.ageSeconds);
      return { holds: false, reason: `the ${label} signature verifies, but its timestamp is ${report.ageSeconds > 0 ? `${age} old` : `${age} ahead`}, outside the window ${label} allows: a replay, or a clock that is off` };
    }
    return { holds: true, reason: `the ${label} signature verifies` };
  }
  if (report.status === 'unverified') return { holds: false, reason: `the ${label} signature cannot be checked: only part of the body was stored` };
  if (report.status === 'malformed') return { holds: false, reason: `the ${label} signature cannot be read${report.findings[0] ? `: ${report.findings[0].message}` : ''}` };
  const why = nearMiss(report.findings[0]);
  return { holds: false, reason: `the ${label} signature does not verify: ${why ?? 'the secret differs, or the request was changed on the way'}` };
}
