import type { SectionName } from './options.ts';

/** `info` rows are measured but have no target; `n/a (quick)` targets only make sense at full scale. */
export type Verdict = 'PASS' | 'FAIL' | 'info' | 'n/a (quick)' | 'n/a';

/** One line of the report. */
export interface Row {
  measure: string;
  /** The measured figure, formatted. */
  figure: string;
  /** What the figure is compared to (measured in the same run), formatted; '' when nothing. */
  reference: string;
  /** The target as the issue states it; '' for info rows. */
  target: string;
  verdict: Verdict;
  /** The raw numbers behind the row, for --json. */
  values: Record<string, number | null>;
}

export interface SectionReport {
  name: SectionName;
  title: string;
  rows: Row[];
  /** How the section was measured, or why a figure is missing. */
  notes: string[];
  /** Set when the harness itself broke in this section. */
  error?: string;
  seconds: number;
}

/** The verdict of a target; scale-bound targets are not judged in a quick run. */
export function judge(pass: boolean, how: { quick: boolean; scaleBound?: boolean }): Verdict {
  if (how.quick && how.scaleBound) return 'n/a (quick)';
  return pass ? 'PASS' : 'FAIL';
}

export function row(measure: string, figure: string, fields: Partial<Omit<Row, 'measure' | 'figure'>> = {}): Row {
  return { measure, figure, reference: '', target: '', verdict: 'info', values: {}, ...fields };
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function rps(value: number): string {
  return `${grouped.format(value)} req/s`;
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '—';
}

export function count(value: number): string {
  return grouped.format(value);
}

export function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Replaces NaN and infinities, which JSON cannot carry, by null. */
export function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** What a section measured. */
export interface SectionResult {
  rows: Row[];
  notes: string[];
}
