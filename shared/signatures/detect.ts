/** Finding the signature headers of a request, without a secret and without crypto. */
import type { SignatureInput, SignatureReport, SignatureScheme } from './types.ts';
import type { ParsedSignature, RequestView, SchemeModule } from './schemes/scheme.ts';
import { SCHEMES } from './schemes/index.ts';
import { headerView } from './headers.ts';
import { checkTimestamp, type TimestampCheck } from './timestamps.ts';
import { reserialiseJson, reserialisedFinding } from './body.ts';
import { bodyTruncatedFinding } from './report-findings.ts';

export interface Detected {
  module: SchemeModule;
  parsed: ParsedSignature;
  /** The report before any secret is applied. */
  report: SignatureReport;
}

export function requestView(input: SignatureInput): RequestView {
  return { method: input.method, url: input.url, headers: headerView(input.headers), body: input.body };
}

function baseReport(
  module: SchemeModule,
  parsed: ParsedSignature,
  input: SignatureInput,
  bodyFindings: () => SignatureReport['findings'],
): SignatureReport {
  const check: TimestampCheck = module.timestamp
    ? checkTimestamp(
        parsed.timestamp,
        module.timestamp.format,
        module.timestamp.tolerance,
        module.timestamp.header,
        module.sender,
        input.now ?? Date.now(),
      )
    : { findings: [] };
  return {
    scheme: module.scheme,
    headers: parsed.headers,
    status: parsed.malformed ? 'malformed' : 'unverified',
    ...(check.timestamp !== undefined ? { timestamp: check.timestamp } : {}),
    ...(check.ageSeconds !== undefined ? { ageSeconds: check.ageSeconds } : {}),
    findings: [...parsed.findings, ...check.findings, ...bodyFindings()],
  };
}

/** Reports of every scheme whose headers the request carries; `picked` forces that one scheme. */
export function detect(input: SignatureInput, picked?: SignatureScheme): Detected[] {
  const view = requestView(input);
  let bodyFindings: SignatureReport['findings'] | undefined;
  // Computed once, and only when some scheme is present: this runs on every request detail.
  const sharedBodyFindings = (): SignatureReport['findings'] => {
    if (!bodyFindings) {
      const reserialised = input.bodyTruncated ? undefined : reserialiseJson(input.body);
      bodyFindings = [
        ...(input.bodyTruncated ? [bodyTruncatedFinding(input.body.length)] : []),
        ...(reserialised ? [reserialisedFinding(reserialised)] : []),
      ];
    }
    return bodyFindings.map((finding) => ({ ...finding }));
  };
  const detected: Detected[] = [];
  for (const module of SCHEMES) {
    if (picked && module.scheme !== picked) continue;
    const parsed = module.parse(view, picked !== undefined);
    if (parsed) detected.push({ module, parsed, report: baseReport(module, parsed, input, sharedBodyFindings) });
  }
  return detected;
}

/**
 * The webhook signatures a request carries, each `unverified` (or `malformed` when its header
 * can't be read), with timestamp age and body findings. Synchronous and cheap: no secret, no crypto.
 * @example
 * detectSignatures({ method: 'POST', url, headers: [['X-Hub-Signature-256', 'sha256=7571…']], body, bodyTruncated: false })
 * // [{ scheme: 'github', headers: ['X-Hub-Signature-256'], status: 'unverified', findings: [] }]
 */
export function detectSignatures(input: SignatureInput): SignatureReport[] {
  return detect(input).map((detected) => detected.report);
}
