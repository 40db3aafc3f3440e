import { shellQuote } from '../../shared/export/index.ts';
import { CopyButton } from './CopyButton.tsx';
import './SendInstructions.css';

/** A curl command that sends a first request with a Zendesk-style API token header. */
export function exampleCurl(captureUrl: string): string {
  return `curl -u 'me@example.com/token:YOUR_API_TOKEN' -H 'Content-Type: application/json' -d '{"hello":"authbin"}' ${shellQuote(captureUrl + '/hook')}`;
}

/** Ready-to-paste ways to send a first request to a bin: curl, and a Zendesk webhook. */
export function SendInstructions({ captureUrl }: { captureUrl: string }) {
  const curl = exampleCurl(captureUrl);
  return (
    <div class="send-instructions">
      <section class="send-way">
        <div class="send-way-head">
          <h3>From a terminal</h3>
          <CopyButton text={curl} label="Copy curl command" />
        </div>
        <pre class="send-code">
          <code>{curl}</code>
        </pre>
        <p class="muted">
          Replace the email and token with the ones you are testing; authbin shows what the header really says.
        </p>
      </section>
      <section class="send-way">
        <h3>As a Zendesk webhook</h3>
        <ol class="send-steps">
          <li>
            In Admin Center, open <strong>Apps and integrations → Webhooks → Create webhook</strong>.
          </li>
          <li>
            Paste the capture URL as the <strong>Endpoint URL</strong>; any path after it is kept, e.g.{' '}
            <code>{captureUrl}/tickets</code>.
          </li>
          <li>Pick the request method, format and authentication you want to check (Basic, Bearer token or API key).</li>
          <li>
            Click <strong>Test webhook</strong>: the request shows up here within a second.
          </li>
        </ol>
      </section>
    </div>
  );
}
