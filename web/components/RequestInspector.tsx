import { useState } from 'preact/hooks';
import type { RequestDetail } from '../../shared/api.ts';
import type { Expected } from '../../shared/auth/types.ts';
import { targetUrl } from '../../shared/export/index.ts';
import { parseFormPairs } from '../lib/form.ts';
import { formatBytes } from '../lib/format-bytes.ts';
import { formatTimestamp } from '../lib/time-ago.ts';
import { useAppState } from '../state/context.ts';
import { AnswerNote } from './AnswerNote.tsx';
import { AuthPanel } from './AuthPanel.tsx';
import { BodyView } from './BodyView.tsx';
import { ComparePanel } from './ComparePanel.tsx';
import { CompareWith } from './CompareWith.tsx';
import { CopyAs } from './CopyAs.tsx';
import { CopyButton } from './CopyButton.tsx';
import { ForwardStatus } from './ForwardStatus.tsx';
import { KeyValueTable } from './KeyValueTable.tsx';
import { MethodTag } from './MethodTag.tsx';
import { RefusedBanner } from './RefusedBanner.tsx';
import { ReplayDialog } from './ReplayDialog.tsx';
import { Section } from './Section.tsx';
import { SignaturePanel } from './SignaturePanel.tsx';
import { TimeAgo } from './TimeAgo.tsx';
import './RequestInspector.css';

interface RequestInspectorProps {
  request: RequestDetail;
  expected: Expected | null;
  onExpectedChange: (expected: Expected | null) => void;
  onDelete: () => void;
  /** The bin's forwarding target, to tell a relay still under way from none at all. */
  forwardTo?: string | null;
}

function headerValue(headers: [string, string][], name: string): string | null {
  return headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? null;
}

/** Everything about one captured request, the Authorization header first since that is why people come. */
export function RequestInspector({ request, expected, onExpectedChange, onDelete, forwardTo = null }: RequestInspectorProps) {
  const store = useAppState();
  const [replaying, setReplaying] = useState(false);
  const captureBase = `${store.captureOrigin.value}/b/${request.bin}`;
  const url = targetUrl(captureBase, request);
  const signatureSettings = store.signatureSecrets.forBin(request.bin).value;
  const showSignatures = request.analysis.signatures.length > 0 || signatureSettings !== null;
  // A signed webhook without credentials is about its signature: show that first.
  const signatureFirst = request.analysis.signatures.length > 0 && !request.analysis.present;
  const signatureSection = showSignatures && (
    <Section title="Webhook signature" id="sec-signature">
      <SignaturePanel request={request} settings={signatureSettings} onChange={(settings) => store.signatureSecrets.set(request.bin, settings)} />
    </Section>
  );
  const query = parseFormPairs(request.query);
  const remote = request.remoteAddress ? `${request.remoteAddress}${request.remotePort ? ':' + request.remotePort : ''}` : 'unknown';
  return (
    <article class="inspector" aria-label="Selected request">
      <header class="inspector-head">
        <div class="inspector-title">
          <MethodTag method={request.method} />
          <code class="inspector-url" data-testid="request-url">
            {url}
          </code>
        </div>
        <div class="inspector-meta">
          <time dateTime={request.receivedAt} title={request.receivedAt}>
            {formatTimestamp(request.receivedAt)}
          </time>
          <TimeAgo time={request.receivedAt} />
          <span>from {remote}</span>
          <span>HTTP/{request.httpVersion}</span>
          <span>{formatBytes(request.body.size)}</span>
        </div>
        <div class="inspector-actions">
          <CopyButton text={url} label="Copy URL of this request">
            Copy URL
          </CopyButton>
          {/* A refused request is kept to show what arrived: its body is those bytes, so neither code nor a replay could send it as it was. */}
          {!request.rejected && (
            <>
              <CopyAs request={request} target={{ url: captureBase, origin: store.origin }} />
              <button type="button" class="btn btn-small" aria-haspopup="dialog" onClick={() => setReplaying(true)}>
                Replay…
              </button>
            </>
          )}
          <CompareWith id={request.id} />
          <button type="button" class="btn btn-small btn-danger inspector-delete" onClick={onDelete}>
            Delete request
          </button>
        </div>
        {request.answer && <AnswerNote answer={request.answer} />}
        <ForwardStatus request={request} forwardTo={forwardTo} />
      </header>
      {replaying && <ReplayDialog request={request} expected={expected} onClose={() => setReplaying(false)} />}
      {request.refusal && <RefusedBanner refusal={request.refusal} received={request.body} />}

      {signatureFirst && signatureSection}
      <Section title="Authorization" id="sec-auth">
        <AuthPanel analysis={request.analysis} headerValue={headerValue(request.headers, 'authorization')} />
      </Section>
      {!signatureFirst && signatureSection}
      <Section title="Compare with what you meant to send" id="sec-compare">
        <ComparePanel headers={request.headers} expected={expected} onChange={onExpectedChange} idPrefix="inspector" />
      </Section>
      {query.length > 0 && (
        <Section title={`Query parameters (${query.length})`} id="sec-query">
          <KeyValueTable rows={query} label="Query parameters" nameHeading="Parameter" copyValues />
        </Section>
      )}
      <Section title={`Headers (${request.headers.length})`} id="sec-headers" aside={<span class="faint section-note">as sent: original case, order and duplicates</span>}>
        <KeyValueTable rows={request.headers} label="Headers" copyValues highlight="authorization" />
      </Section>
      {/* A refused request's body is what arrived, shown in the banner above. */}
      {!request.refusal && (
        <Section title="Body" id="sec-body">
          <BodyView body={request.body} contentType={headerValue(request.headers, 'content-type')} downloadUrl={store.client.bodyUrl(request.id)} />
        </Section>
      )}
    </article>
  );
}
