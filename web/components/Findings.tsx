import type { Finding } from '../../shared/auth/types.ts';
import { sortFindings } from '../../shared/auth/index.ts';
import './Findings.css';

const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', info: 'Note' } as const;

/** Every finding with its message and fix, errors first. `label` names the list when a page shows several. */
export function Findings({ findings, label = 'Findings' }: { findings: readonly Finding[]; label?: string }) {
  if (findings.length === 0) return <p class="findings-none">No problems found.</p>;
  return (
    <ul class="findings" aria-label={label}>
      {sortFindings(findings).map((finding, i) => (
        <li key={`${finding.code}-${i}`} class={`finding finding-${finding.severity}`} data-code={finding.code}>
          <span class="finding-severity">{SEVERITY_LABEL[finding.severity]}</span>
          <div class="finding-text">
            <p class="finding-message">
              {finding.message} <code class="finding-code">{finding.code}</code>
            </p>
            {finding.fix && <p class="finding-fix">{finding.fix}</p>}
          </div>
        </li>
      ))}
    </ul>
  );
}
