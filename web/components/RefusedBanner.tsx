import type { Refusal, StoredBody } from '../../shared/api.ts';
import { visibleText } from '../../shared/compare/visible.ts';
import { base64ToBytes } from '../lib/base64.ts';
import './RefusedBanner.css';

interface RefusedBannerProps {
  refusal: Refusal;
  /** What arrived, kept as the refused request's body. */
  received: StoredBody;
}

/**
 * A request the HTTP parser refused: why, and the bytes as they arrived with what does not show
 * made visible (a `\n` alone where base64 wrapped a header, a stray `\r`, `⟨U+0000⟩`), line by line.
 */
export function RefusedBanner({ refusal, received }: RefusedBannerProps) {
  // One char per byte, as the server read the head: every byte shows as itself or as its escape.
  const text = String.fromCharCode(...base64ToBytes(received.base64));
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return (
    <section class="refused-banner" aria-labelledby="refused-title" data-testid="refused-banner">
      <h2 id="refused-title" class="refused-title">
        Refused by the HTTP parser <code>{refusal.code}</code>
      </h2>
      <p class="refused-explanation">
        The sender got <strong>400</strong>: {refusal.explanation}
      </p>
      <p class="refused-note">
        Method, path and headers below are read as best they can be from the bytes that arrived{received.truncated ? ' (the first 16 KiB)' : ''}:
      </p>
      <pre class="refused-bytes mono" aria-label="The request as received">
        {lines.map((line, i) => (
          <span key={i} class="refused-line">
            {visibleText(line)}
          </span>
        ))}
      </pre>
    </section>
  );
}
