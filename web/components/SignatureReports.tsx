import type { SignatureReport } from '../../shared/signatures/index.ts';
import { SCHEME_LABEL } from '../../shared/signatures/scheme-names.ts';
import { STATUS_LABEL, describeAge } from '../lib/signature-verdict.ts';
import { Findings } from './Findings.tsx';

const STATUS_MARK = { valid: '✓', invalid: '✗', malformed: '✗', unverified: '' } as const;

/** One card per signature: its scheme, headers, verdict, signed time, and every finding with its fix. */
export function SignatureReports({ reports }: { reports: readonly SignatureReport[] }) {
  return (
    <ul class="signature-reports" aria-label="Signatures">
      {reports.map((report) => (
        <li key={report.scheme} class={`signature-report is-${report.status}`} data-scheme={report.scheme} data-status={report.status}>
          <div class="signature-report-head">
            <strong>{SCHEME_LABEL[report.scheme]}</strong>
            <span class={`signature-status is-${report.status}`} data-testid="signature-status">
              {STATUS_MARK[report.status]} {STATUS_LABEL[report.status]}
            </span>
            <span class="signature-headers">
              {report.headers.map((name) => (
                <code key={name}>{name}</code>
              ))}
            </span>
          </div>
          {report.timestamp !== undefined && (
            <p class="signature-time muted">
              Timestamp <code>{report.timestamp}</code>
              {report.ageSeconds !== undefined && <>: {describeAge(report.ageSeconds)}</>}
            </p>
          )}
          {report.findings.length > 0 && <Findings findings={report.findings} label={`${SCHEME_LABEL[report.scheme]} signature findings`} />}
        </li>
      ))}
    </ul>
  );
}
