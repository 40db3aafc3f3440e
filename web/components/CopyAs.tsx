import type { RequestDetail } from '../../shared/api.ts';
import { requestSnippets, type SnippetTarget } from '../../shared/export/index.ts';
import { CopyButton } from './CopyButton.tsx';

const FORMATS = [
  { label: 'curl', name: 'curl command' },
  { label: 'fetch', name: 'JavaScript fetch call' },
  { label: 'Python', name: 'Python requests code' },
  { label: 'HTTPie', name: 'HTTPie command' },
] as const;

/** "Copy as curl / fetch / Python / HTTPie": code that sends the request again to `target`, built on click. */
export function CopyAs({ request, target }: { request: RequestDetail; target: SnippetTarget }) {
  const code = (label: string) => requestSnippets(request, target).find((snippet) => snippet.label === label)?.code ?? '';
  return (
    <span class="copy-as" role="group" aria-label="Copy the request as code">
      <span class="copy-as-label">Copy as</span>
      {FORMATS.map(({ label, name }) => (
        <CopyButton key={label} text={() => code(label)} label={`Copy as ${name}`}>
          {label}
        </CopyButton>
      ))}
    </span>
  );
}
