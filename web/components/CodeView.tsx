import type { Token } from '../lib/tokens.ts';
import './CodeView.css';

/** Pre-formatted code; tokens are coloured by kind and always rendered as text, never as HTML. */
export function CodeView({ tokens, text, label }: { tokens?: Token[] | null; text?: string; label: string }) {
  return (
    <pre class="code-view" aria-label={label} tabIndex={0}>
      <code>{tokens ? tokens.map((t, i) => (t.kind === 'plain' ? t.text : <span key={i} class={`tok-${t.kind}`}>{t.text}</span>)) : text}</code>
    </pre>
  );
}
