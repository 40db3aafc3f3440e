import { CopyButton } from './CopyButton.tsx';
import './KeyValueTable.css';

interface KeyValueTableProps {
  rows: readonly (readonly [string, string])[];
  /** What the table holds, e.g. "Headers": labels the table and its copy buttons. */
  label: string;
  nameHeading?: string;
  copyValues?: boolean;
  /** Row names (any case) to highlight, e.g. "authorization". */
  highlight?: string;
}

/** Name/value pairs in order, duplicates kept; values wrap and are shown as text. */
export function KeyValueTable({ rows, label, nameHeading = 'Name', copyValues = false, highlight }: KeyValueTableProps) {
  return (
    <table class="kv-table" aria-label={label}>
      <colgroup>
        <col class="kv-col-name" />
        <col />
      </colgroup>
      <thead class="visually-hidden">
        <tr>
          <th scope="col">{nameHeading}</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, value], i) => (
          <tr key={i} class={highlight && name.toLowerCase() === highlight ? 'is-highlighted' : undefined}>
            <th scope="row" class="kv-name mono">
              {name}
            </th>
            <td class="kv-value mono">
              <span class="kv-text">{value}</span>
              {copyValues && <CopyButton text={value} label={`Copy ${name} value`} class="kv-copy" />}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
