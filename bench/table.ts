import type { SectionReport } from './report.ts';

const headings = ['measure', 'figure', 'reference (same run)', 'target', 'result'] as const;

/** Renders the sections as one aligned plain-text table, a block per section with its notes below. */
export function renderTable(sections: SectionReport[]): string {
  const cells = sections.flatMap((s) => s.rows.map((r) => [r.measure, r.figure, r.reference, r.target, r.verdict]));
  const widths = headings.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: readonly string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');

  const out = [line(headings), rule];
  for (const section of sections) {
    out.push('', `${section.title}  (${section.seconds.toFixed(1)} s)`);
    for (const r of section.rows) out.push(line([r.measure, r.figure, r.reference, r.target, r.verdict]));
    if (section.error) out.push(`  ERROR: ${section.error}`);
    for (const note of section.notes) out.push(`  · ${note}`);
  }
  return out.join('\n');
}

/** One line that says how the targets fared. */
export function renderSummary(sections: SectionReport[]): string {
  const verdicts = sections.flatMap((s) => s.rows.map((r) => r.verdict));
  const tally = (v: string) => verdicts.filter((x) => x === v).length;
  const errors = sections.filter((s) => s.error).length;
  const parts = [`${tally('PASS')} PASS`, `${tally('FAIL')} FAIL`, `${tally('n/a (quick)') + tally('n/a')} n/a`];
  if (errors > 0) parts.push(`${errors} section${errors === 1 ? '' : 's'} broke`);
  return `targets: ${parts.join(', ')}`;
}
