import { useState } from 'preact/hooks';
import { maskSecret } from '../lib/mask.ts';

/**
 * A secret shown as "••••••••abcd" until the user clicks Reveal. `display` renders it (invisible
 * characters made visible, say) while the count stays that of the secret itself.
 */
export function SecretText({ secret, label, display = (text) => text }: { secret: string; label: string; display?: (secret: string) => string }) {
  const [shown, setShown] = useState(false);
  return (
    <span class="secret-text">
      <code class="secret-value" data-revealed={shown ? 'true' : 'false'}>
        {shown ? display(secret) : maskSecret(secret, display)}
      </code>{' '}
      <span class="faint">({Array.from(secret).length} characters)</span>{' '}
      <button type="button" class="btn btn-small" aria-label={`${shown ? 'Hide' : 'Reveal'} ${label}`} aria-pressed={shown} onClick={() => setShown(!shown)}>
        {shown ? 'Hide' : 'Reveal'}
      </button>
    </span>
  );
}
