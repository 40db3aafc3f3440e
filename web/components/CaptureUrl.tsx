import { CopyButton } from './CopyButton.tsx';
import './CaptureUrl.css';

/** A bin's capture URL, in full, with a copy button. */
export function CaptureUrl({ url }: { url: string }) {
  return (
    <div class="capture-url">
      <span class="capture-url-label">Capture URL</span>
      <code class="capture-url-value" data-testid="capture-url">
        {url}
      </code>
      <CopyButton text={url} label="Copy capture URL" />
    </div>
  );
}
