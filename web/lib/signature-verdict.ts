import { SCHEME_LABEL } from '../../shared/signatures/scheme-names.ts';
import type { SignatureReport, SignatureStatus } from '../../shared/signatures/index.ts';

export const STATUS_LABEL: Record<SignatureStatus, string> = {
  valid: 'Valid',
  invalid: 'Invalid',
  malformed: 'Malformed',
  unverified: 'Not verified',
};

/**
 * A list row's signature mark: `valid` when any signature matches the secret, `invalid` when one was checked
 * and none matched (or none could be read), `unchecked` when none could be checked (a truncated body),
 * `unsigned` for a request without signature headers.
 */
export interface RowSignature {
  verdict: 'valid' | 'invalid' | 'unchecked' | 'unsigned';
  /** The schemes behind the verdict, e.g. "Zendesk". */
  label: string;
  /** A valid signature that still has a problem worth a look (a stale timestamp, a secret with stray spaces). */
  caveat: boolean;
  /** The first finding's message, for the mark's tooltip. */
  detail: string;
}

function worthNoting(report: SignatureReport): boolean {
  return report.findings.some((f) => f.severity === 'error' || f.severity === 'warning');
}

/** Sums up the verified reports of one request for its row in the list. */
export function rowSignature(reports: readonly SignatureReport[]): RowSignature {
  if (reports.length === 0) return { verdict: 'unsigned', label: 'unsigned', caveat: false, detail: 'No webhook signature headers.' };
  const valid = reports.filter((r) => r.status === 'valid');
  const failed = reports.filter((r) => r.status === 'invalid' || r.status === 'malformed');
  const chosen = valid.length > 0 ? valid : failed.length > 0 ? failed : reports;
  const verdict = valid.length > 0 ? 'valid' : failed.length > 0 ? 'invalid' : 'unchecked';
  const label = [...new Set(chosen.map((r) => SCHEME_LABEL[r.scheme]))].join(' / ');
  const first = chosen[0]!;
  const noted = first.findings.find((f) => f.severity === 'error' || f.severity === 'warning') ?? first.findings[0];
  return {
    verdict,
    label,
    caveat: verdict === 'valid' && valid.some(worthNoting),
    detail: noted?.message ?? STATUS_LABEL[first.status],
  };
}

function span(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

/**
 * How the signed timestamp relates to the arrival: "signed 3 s before it arrived", or for a sender whose clock
 * runs ahead, "dated 2 min after it arrived".
 */
export function describeAge(ageSeconds: number): string {
  const seconds = Math.round(Math.abs(ageSeconds));
  if (seconds === 0) return 'signed as it arrived';
  return ageSeconds > 0 ? `signed ${span(seconds)} before it arrived` : `dated ${span(seconds)} after it arrived`;
}
