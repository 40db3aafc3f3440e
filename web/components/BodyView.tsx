import { useMemo, useState } from 'preact/hooks';
import type { StoredBody } from '../../shared/api.ts';
import { base64ToBytes } from '../lib/base64.ts';
import { bodyKind, type BodyKind } from '../lib/body-kind.ts';
import { parseFormPairs } from '../lib/form.ts';
import { formatBytes } from '../lib/format-bytes.ts';
import { formatJson, tokensToText } from '../lib/json-format.ts';
import type { Token } from '../lib/tokens.ts';
import { multipartBoundary, parseMultipart } from '../../shared/http/multipart.ts';
import { formatXml } from '../lib/xml-format.ts';
import { CodeView } from './CodeView.tsx';
import { CopyButton } from './CopyButton.tsx';
import { HexDumpView } from './HexDumpView.tsx';
import { KeyValueTable } from './KeyValueTable.tsx';
import './BodyView.css';

/** Bodies larger than this stay collapsed until asked for: formatting megabytes would freeze the page. */
export const COLLAPSE_BYTES = 64 * 1024;
// Past this many tokens a pretty body is shown uncoloured: thousands of spans cost more than the colour is worth.
const COLOUR_TOKEN_LIMIT = 4000;

const KIND_LABEL: Record<BodyKind, string> = {
  empty: 'empty',
  json: 'JSON',
  xml: 'XML',
  form: 'form',
  multipart: 'multipart',
  text: 'text',
  binary: 'binary',
};

interface BodyViewProps {
  body: StoredBody;
  contentType: string | null;
  /** Where the whole body downloads from; without one there is no Download link. */
  downloadUrl?: string;
  /** What the body is, in labels: "Body" (the request's), "Response body"… */
  name?: string;
  /** Why `body.truncated` is set. */
  truncatedNote?: string;
}

/** A request body shown by what it is: pretty JSON/XML, a form table, multipart parts, text, or a hex dump. */
export function BodyView({ body, contentType, downloadUrl, name = 'Body', truncatedNote = 'truncated at capture' }: BodyViewProps) {
  const kind = bodyKind(contentType, body.size, body.text);
  const [expanded, setExpanded] = useState(false);
  const [raw, setRaw] = useState(false);
  const large = body.size > COLLAPSE_BYTES;
  const canPretty = kind === 'json' || kind === 'xml' || kind === 'form' || kind === 'multipart';

  return (
    <div class="body-view">
      <div class="body-view-bar">
        <span class="muted">
          {KIND_LABEL[kind]} · {formatBytes(body.size)}
          {body.truncated && <strong class="body-truncated"> · {truncatedNote}</strong>}
        </span>
        <span class="body-view-actions">
          {canPretty && !(large && !expanded) && (
            <button type="button" class="btn btn-small" aria-pressed={raw} onClick={() => setRaw(!raw)}>
              {raw ? 'Pretty' : 'Raw'}
            </button>
          )}
          {body.text !== undefined && body.size > 0 && <CopyButton text={body.text} label={`Copy ${name.toLowerCase()}`} />}
          {body.size > 0 && downloadUrl && (
            <a class="btn btn-small" href={downloadUrl} download>
              Download
            </a>
          )}
        </span>
      </div>
      {kind === 'empty' ? (
        <p class="faint body-empty">No body.</p>
      ) : large && !expanded ? (
        <p class="body-collapsed">
          This body is {formatBytes(body.size)}.{' '}
          <button type="button" class="btn-link" onClick={() => setExpanded(true)}>
            Show it anyway
          </button>{' '}
          {downloadUrl && 'or download it.'}
        </p>
      ) : (
        <BodyContent body={body} kind={raw ? (body.text === undefined ? 'binary' : 'text') : kind} contentType={contentType} name={name} />
      )}
    </div>
  );
}

function BodyContent({ body, kind, contentType, name }: { body: StoredBody; kind: BodyKind; contentType: string | null; name: string }) {
  const text = body.text ?? '';
  const content = useMemo(() => {
    switch (kind) {
      case 'json': {
        const tokens = formatJson(text);
        return tokens ? <PrettyCode tokens={tokens} label={`${name} (JSON)`} /> : <TextWithNote text={text} note="Not valid JSON; shown as sent." label={`${name} text`} />;
      }
      case 'xml': {
        const tokens = formatXml(text);
        return tokens ? <PrettyCode tokens={tokens} label={`${name} (XML)`} /> : <TextWithNote text={text} note="Not well-formed XML; shown as sent." label={`${name} text`} />;
      }
      case 'form':
        return <KeyValueTable rows={parseFormPairs(text)} label="Form fields" nameHeading="Field" />;
      case 'multipart':
        return <MultipartParts body={body} contentType={contentType} name={name} />;
      case 'binary':
        return <HexDumpView bytes={base64ToBytes(body.base64)} />;
      default:
        return <CodeView text={text} label={`${name} text`} />;
    }
  }, [body, text, kind, contentType, name]);
  return content;
}

function PrettyCode({ tokens, label }: { tokens: Token[]; label: string }) {
  return tokens.length > COLOUR_TOKEN_LIMIT ? <CodeView text={tokensToText(tokens)} label={label} /> : <CodeView tokens={tokens} label={label} />;
}

function TextWithNote({ text, note, label }: { text: string; note: string; label: string }) {
  return (
    <>
      <p class="faint body-note">{note}</p>
      <CodeView text={text} label={label} />
    </>
  );
}

function MultipartParts({ body, contentType, name }: { body: StoredBody; contentType: string | null; name: string }) {
  const boundary = multipartBoundary(contentType);
  const parts = boundary ? parseMultipart(base64ToBytes(body.base64), boundary) : [];
  if (parts.length === 0) return <TextWithNote text={body.text ?? ''} note="No multipart boundary found; shown as sent." label={`${name} text`} />;
  return (
    <ol class="multipart-parts" aria-label="Multipart parts">
      {parts.map((part, i) => (
        <li key={i} class="multipart-part">
          <div class="multipart-head">
            <strong class="mono">{part.name ?? `part ${i + 1}`}</strong>
            {part.filename !== null && <span class="mono"> · file “{part.filename}”</span>}
            <span class="muted">
              {' '}
              · {part.contentType ?? 'no content type'} · {formatBytes(part.size)}
            </span>
          </div>
          {part.text !== null ? (
            part.size <= COLLAPSE_BYTES ? (
              <CodeView text={part.text} label={`Part ${part.name ?? i + 1}`} />
            ) : (
              <p class="faint">Large text part; download the body to see it.</p>
            )
          ) : (
            <HexDumpView bytes={part.bytes} />
          )}
        </li>
      ))}
    </ol>
  );
}
