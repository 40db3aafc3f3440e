import { useEffect, useState } from 'preact/hooks';

/** Copies text with the Clipboard API, falling back to a hidden textarea where that API is unavailable (plain http). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.className = 'visually-hidden';
    area.setAttribute('readonly', '');
    document.body.append(area);
    area.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }
}

interface CopyButtonProps {
  /** The text to copy, or a function that builds it on click (e.g. a curl command). */
  text: string | (() => string);
  /**
   * The button's name for screen readers, saying what is copied: "Copy capture URL". It contains the visible text
   * (WCAG's label in name), so someone who says "click Copy URL" to voice control finds the button.
   */
  label: string;
  children?: string;
  class?: string;
}

/** A small button that copies text and says "Copied" for a moment. */
export function CopyButton({ text, label, children = 'Copy', class: className = '' }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(timer);
  }, [state]);
  const onClick = async () => setState((await copyText(typeof text === 'string' ? text : text())) ? 'copied' : 'failed');
  return (
    <button type="button" class={`btn btn-small ${className}`} aria-label={state === 'idle' ? label : `${label}: ${state === 'copied' ? 'copied' : 'copy failed'}`} onClick={onClick}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : children}
    </button>
  );
}
