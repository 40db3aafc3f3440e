import { useState } from 'preact/hooks';
import { CodeView } from './CodeView.tsx';
import { CopyButton } from './CopyButton.tsx';
import './Snippets.css';

export interface Snippet {
  label: string;
  language: string;
  code: string;
}

/** Code that sends the correct header, one tab per language. */
export function Snippets({ snippets, idPrefix }: { snippets: Snippet[]; idPrefix: string }) {
  const [chosen, setChosen] = useState(0);
  const current = snippets[Math.min(chosen, snippets.length - 1)];
  if (!current) return null;
  const panelId = `${idPrefix}-snippet-panel`;
  return (
    <div class="snippets">
      <div class="snippet-tabs" role="tablist" aria-label="Snippet language">
        {snippets.map((snippet, i) => (
          <button
            key={snippet.label}
            type="button"
            role="tab"
            id={`${idPrefix}-snippet-${i}`}
            aria-selected={snippet === current}
            aria-controls={panelId}
            class="snippet-tab"
            onClick={() => setChosen(i)}
          >
            {snippet.label}
          </button>
        ))}
        <CopyButton text={current.code} label={`Copy ${current.label} snippet`} class="snippet-copy" />
      </div>
      <div role="tabpanel" id={panelId} aria-labelledby={`${idPrefix}-snippet-${snippets.indexOf(current)}`}>
        <CodeView text={current.code} label={`${current.label} snippet`} />
      </div>
    </div>
  );
}
