import { useState } from 'preact/hooks';
import { maskSecret } from '../lib/mask.ts';

/** A secret shown as "••••••••abcd" until the user clicks Reveal. */
export function SecretText({ secret, label }: { secret: string; label: string }) {
  const [shown, setShown] = useState(false);
  return (
    <span class="secret-text">
      <code class="secret-value" data-revealed={shown ? 'true' : 'false'}>
        {shown ? secret : maskSecret(secret)}
      </code>{' '}
      <span class="faint">({Array.from(secret).length} characters)</span>{' '}
      <button type="button" class="btn btn-small" aria-label={`${shown ? 'Hide' : 'Reveal'} ${label}`} aria-pressed={shown} onClick={() => setShown(!shown)}>
        {shown ? 'Hide' : 'Reveal'}
      </button>
    </span>
  );
}
