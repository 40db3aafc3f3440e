import type { ComponentChildren } from 'preact';
import type { Refusal, RequestDetail } from '../../shared/api.ts';
import type { Analysis } from '../../shared/auth/types.ts';
import { unreadBodiesNote, visibleText, type BodyComparison, type DiffLine, type MultipartValue, type NamedDifference, type RequestComparison as Comparison } from '../../shared/compare/index.ts';
import { formatBytes } from '../lib/format-bytes.ts';
import { CompareSignatures } from './CompareSignatures.tsx';
import { Findings } from './Findings.tsx';
import { SecretText } from './SecretText.tsx';
import { Section } from './Section.tsx';
import './RequestComparison.css';

const ENCODING_LABEL = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE', latin1: 'Latin-1' } as const;
const CHANGE_LABEL = { added: 'only in B', removed: 'only in A', changed: 'changed', same: 'same' } as const;

interface RequestComparisonProps {
  a: RequestDetail;
  b: RequestDetail;
  result: Comparison;
  strict: boolean;
}

/**
 * Two requests side by side, the difference that matters said in one sentence on top; secrets masked until
 * revealed. Each difference carries `data-difference` (what to announce) so the keyboard can move between them.
 */
export function RequestComparison({ a, b, result, strict }: RequestComparisonProps) {
  const [headline, ...rest] = result.summary;
  const signatures = result.signatures;
  return (
    <div class="comparison">
      <section class="comparison-summary" aria-label="Summary">
        <p class={`comparison-headline ${result.same ? 'is-same' : 'is-different'}`} data-testid="compare-headline">
          {result.same ? 'No differences.' : (headline ?? 'The requests differ only in header name case or order.')}
        </p>
        {rest.length > 0 && (
          <ul class="comparison-more">
            {rest.map((sentence) => (
              <li key={sentence}>{sentence}</li>
            ))}
          </ul>
        )}
      </section>

      <Section title="Authorization" id="cmp-auth">
        {result.authorization.firstDifference !== null && (
          <p class="muted">The {a.analysis.bearer ? 'tokens' : 'secrets'} first differ at character {result.authorization.firstDifference}.</p>
        )}
        <div class="comparison-columns" {...difference(!result.authorization.same, 'Authorization')}>
          <AuthSide side="A" analysis={a.analysis} only={result.authorization.onlyInA} />
          <AuthSide side="B" analysis={b.analysis} only={result.authorization.onlyInB} />
        </div>
      </Section>

      {(signatures.schemes.length > 0 || signatures.onlyInA.length > 0 || signatures.onlyInB.length > 0) && (
        <Section title="Signatures" id="cmp-signatures">
          <CompareSignatures a={a} b={b} comparison={signatures} />
        </Section>
      )}

      <Section title="Method and path" id="cmp-target">
        <table class="comparison-table" aria-label="Method and path">
          <thead>
            <tr>
              <th scope="col">
                <span class="visually-hidden">Part</span>
              </th>
              <th scope="col">A</th>
              <th scope="col">B</th>
            </tr>
          </thead>
          <tbody>
            {(result.refusal.a || result.refusal.b) && (
              <tr class={result.refusal.same ? 'is-same' : 'is-changed'} data-testid="compare-refusal" {...difference(!result.refusal.same, 'HTTP parser')}>
                <th scope="row">HTTP parser</th>
                <td>
                  <ParserVerdict refusal={result.refusal.a} />
                </td>
                <td>
                  <ParserVerdict refusal={result.refusal.b} />
                </td>
              </tr>
            )}
            <tr class={result.method.same ? 'is-same' : 'is-changed'} {...difference(!result.method.same, 'Method')}>
              <th scope="row">Method</th>
              <td>{a.method}</td>
              <td>{b.method}</td>
            </tr>
            <tr class={result.path.same ? 'is-same' : 'is-changed'} {...difference(!result.path.same, 'Path')}>
              <th scope="row">Path</th>
              <td class="mono">{a.path}</td>
              <td class="mono">{b.path}</td>
            </tr>
          </tbody>
        </table>
      </Section>

      {result.query.length > 0 && (
        <Section title="Query parameters" id="cmp-query">
          <NamedTable label="Query parameters" what="Query parameter" entries={result.query} show={showText} />
        </Section>
      )}

      <Section title="Headers" id="cmp-headers" aside={<span class="faint section-note">matched by name, any letter case</span>}>
        {(result.refusal.a || result.refusal.b) && (
          <p class="muted">A request the HTTP parser refused shows its header lines as read, as best they can be, from the bytes that arrived.</p>
        )}
        {result.headerNotes.length > 0 && (
          <ul class="comparison-notes" aria-label="Header notes">
            {result.headerNotes.map((note) => (
              <li key={note} {...difference(strict, note)}>
                {note}
                {strict ? '' : ' (not counted as a change)'}
              </li>
            ))}
          </ul>
        )}
        <NamedTable label="Headers" what="Header" entries={result.headers} show={showText} />
      </Section>

      <Section title="Body" id="cmp-body">
        <BodyDifference body={result.body} />
      </Section>
    </div>
  );
}

/** The attributes that make an element a stop for the keyboard's j/k walk, when it shows a difference. */
function difference(isDifference: boolean, label: string): { 'data-difference'?: string; tabIndex?: number } {
  return isDifference ? { 'data-difference': label, tabIndex: -1 } : {};
}

function AuthSide({ side, analysis, only }: { side: 'A' | 'B'; analysis: Analysis; only: RequestDetail['analysis']['findings'] }) {
  const basic = analysis.basic;
  const secretName = basic?.kind === 'api-token' ? 'API token' : 'password';
  return (
    <div class="comparison-side" aria-label={`Authorization of ${side}`} role="group">
      <h3>{side}</h3>
      {!analysis.present ? (
        <p class="muted">No Authorization header.</p>
      ) : (
        <dl class="auth-facts">
          <dt>Scheme</dt>
          <dd>
            <code>{analysis.schemeRaw ?? analysis.scheme}</code>
          </dd>
          {basic && (
            <>
              <dt>Kind</dt>
              <dd>{basic.kind === 'api-token' ? 'API token' : 'Password'}</dd>
              <dt>{basic.kind === 'api-token' ? 'Email' : 'Username'}</dt>
              <dd>
                <code>{visibleText(basic.kind === 'api-token' ? basic.email : basic.user)}</code>
              </dd>
              <dt>{basic.kind === 'api-token' ? 'API token' : 'Password'}</dt>
              <dd>
                <SecretText secret={basic.secret} display={visibleText} label={`${side}'s ${secretName}`} />
              </dd>
              <dt>Encoding</dt>
              <dd>{ENCODING_LABEL[basic.encoding]}</dd>
            </>
          )}
          {analysis.bearer && (
            <>
              <dt>Token</dt>
              <dd>
                <SecretText secret={analysis.bearer.token} display={visibleText} label={`${side}'s token`} />
              </dd>
            </>
          )}
        </dl>
      )}
      {only.length > 0 && <Findings findings={only} label={`Findings only in ${side}`} />}
    </div>
  );
}

function showText(values: string[]) {
  if (values.length === 0) return <span class="faint">—</span>;
  return (
    <>
      {values.map((value, i) => (
        <code key={i} class="comparison-value">
          {visibleText(value)}
        </code>
      ))}
    </>
  );
}

function showParts(values: MultipartValue[]) {
  if (values.length === 0) return <span class="faint">—</span>;
  return (
    <>
      {values.map((part, i) => (
        <span key={i} class="comparison-value">
          {part.filename === null && part.text !== null ? (
            <code>{part.text}</code>
          ) : (
            <>
              {part.filename !== null && <>file <code>{visibleText(part.filename)}</code>, </>}
              {part.contentType !== null && <><code>{part.contentType}</code>, </>}
              {formatBytes(part.size)}
              {part.sha256 !== null && (
                <>
                  , SHA-256 <code title={part.sha256}>{part.sha256.slice(0, 12)}…</code>
                </>
              )}
            </>
          )}
        </span>
      ))}
    </>
  );
}

interface NamedTableProps<Value> {
  label: string;
  /** What one row is, for the keyboard's announcement: "Header", "Form field"… */
  what: string;
  entries: NamedDifference<Value>[];
  show: (values: Value[]) => ComponentChildren;
}

function NamedTable<Value>({ label, what, entries, show }: NamedTableProps<Value>) {
  return (
    <table class="comparison-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Change</th>
          <th scope="col">A</th>
          <th scope="col">B</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.name} class={`is-${entry.change}`} data-change={entry.change} {...difference(entry.change !== 'same', `${what} ${entry.name || '(no name)'}, ${CHANGE_LABEL[entry.change]}`)}>
            <th scope="row" class="mono">
              {entry.name || <span class="faint">(no name)</span>}
            </th>
            <td>{CHANGE_LABEL[entry.change]}</td>
            <td>{show(entry.a)}</td>
            <td>{show(entry.b)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const LINE_MARK = { same: ' ', added: '+', removed: '-' } as const;

/** A label for the first line of each run of changed lines: the keyboard stops once per run. */
function runLabels(lines: DiffLine[]): (string | null)[] {
  return lines.map((line, i) => {
    if (line.op === 'same' || (i > 0 && lines[i - 1]!.op !== 'same')) return null;
    let end = i;
    while (end < lines.length && lines[end]!.op !== 'same') end++;
    const run = lines.slice(i, end);
    const count = (op: DiffLine['op']) => run.filter((l) => l.op === op).length;
    return `Body lines: ${count('removed')} only in A, ${count('added')} only in B`;
  });
}

/** Whether the parser took a side, and why it refused it when it did not. */
function ParserVerdict({ refusal }: { refusal: Refusal | null }) {
  if (!refusal) return <span class="faint">accepted</span>;
  return (
    <>
      refused by the HTTP parser: {refusal.explanation} <code>{refusal.code}</code>
    </>
  );
}

function BodyDifference({ body }: { body: BodyComparison }) {
  if (body.kind === 'refused') return <p class="muted">{unreadBodiesNote(body.refused)}.</p>;
  if (body.sameBytes) return <p class="muted">The bodies are identical.</p>;
  if (body.kind === 'json') {
    if (body.same) return <p {...difference(true, 'Body bytes')}>The bodies are the same JSON, written with different bytes.</p>;
    return (
      <ul class="comparison-json" aria-label="JSON changes">
        {body.changes.map((c) => (
          <li key={c.path} class={`is-${c.change}`} {...difference(true, `Body ${c.path}, ${c.change}`)}>
            <code>{c.path}</code>: <code>{c.a ?? '(absent)'}</code> → <code>{c.b ?? '(absent)'}</code>
          </li>
        ))}
      </ul>
    );
  }
  if (body.kind === 'form') return <NamedTable label="Form fields" what="Form field" entries={body.changes} show={showText} />;
  if (body.kind === 'multipart') {
    return (
      <>
        {body.same && <p {...difference(true, 'Body framing')}>The multipart bodies carry the same fields and files, framed differently.</p>}
        <NamedTable label="Multipart fields" what="Multipart field" entries={body.changes} show={showParts} />
      </>
    );
  }
  if (body.kind === 'text') {
    const labels = runLabels(body.changes);
    return (
      <pre class="comparison-lines" aria-label="Line differences">
        {body.changes.map((line, i) => (
          <div key={i} class={`is-${line.op}`} {...difference(labels[i] !== null, labels[i] ?? '')}>
            {LINE_MARK[line.op]} {line.text}
          </div>
        ))}
      </pre>
    );
  }
  const first = body.changes[0];
  return (
    <div {...difference(true, 'Body bytes')}>
      <p>
        Binary bodies of {body.sizes[0]} and {body.sizes[1]} bytes{first ? `, first differing at byte ${first.offset + 1}` : ''}.
      </p>
      {first && (
        <dl class="comparison-bytes">
          <dt>A from there</dt>
          <dd>
            <code>{first.a || '(ends)'}</code>
          </dd>
          <dt>B from there</dt>
          <dd>
            <code>{first.b || '(ends)'}</code>
          </dd>
        </dl>
      )}
    </div>
  );
}
