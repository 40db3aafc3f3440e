import { useMemo } from 'preact/hooks';
import type { RequestDetail } from '../../shared/api.ts';
import type { Analysis } from '../../shared/auth/types.ts';
import { compareRequests, visibleText, type BodyComparison, type NamedDifference } from '../../shared/compare/index.ts';
import { isAuthorizationName } from '../../shared/auth/header-name.ts';
import { Findings } from './Findings.tsx';
import { SecretText } from './SecretText.tsx';
import { Section } from './Section.tsx';
import './RequestComparison.css';

const ENCODING_LABEL = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE', latin1: 'Latin-1' } as const;
const CHANGE_LABEL = { added: 'only in B', removed: 'only in A', changed: 'changed', same: 'same' } as const;

interface RequestComparisonProps {
  a: RequestDetail;
  b: RequestDetail;
  strict: boolean;
  now: number;
}

/** Two requests side by side, the difference that matters said in one sentence on top; secrets masked until revealed. */
export function RequestComparison({ a, b, strict, now }: RequestComparisonProps) {
  // Computed here, in the browser, from details already loaded: the secrets go nowhere to be compared.
  const result = useMemo(() => compareRequests(a, b, { strict, now }), [a, b, strict, now]);
  const [headline, ...rest] = result.summary;
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
        <div class="comparison-columns">
          <AuthSide side="A" analysis={a.analysis} only={result.authorization.onlyInA} />
          <AuthSide side="B" analysis={b.analysis} only={result.authorization.onlyInB} />
        </div>
      </Section>

      <Section title="Method and path" id="cmp-target">
        <table class="comparison-table" aria-label="Method and path">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">A</th>
              <th scope="col">B</th>
            </tr>
          </thead>
          <tbody>
            <tr class={result.method.same ? 'is-same' : 'is-changed'}>
              <th scope="row">Method</th>
              <td>{a.method}</td>
              <td>{b.method}</td>
            </tr>
            <tr class={result.path.same ? 'is-same' : 'is-changed'}>
              <th scope="row">Path</th>
              <td class="mono">{a.path}</td>
              <td class="mono">{b.path}</td>
            </tr>
          </tbody>
        </table>
      </Section>

      {result.query.length > 0 && (
        <Section title="Query parameters" id="cmp-query">
          <NamedTable label="Query parameters" entries={result.query} />
        </Section>
      )}

      <Section title="Headers" id="cmp-headers" aside={<span class="faint section-note">matched by name, any letter case</span>}>
        {result.headerNotes.length > 0 && (
          <ul class="comparison-notes" aria-label="Header notes">
            {result.headerNotes.map((note) => (
              <li key={note}>
                {note}
                {strict ? '' : ' (not counted as a change)'}
              </li>
            ))}
          </ul>
        )}
        <NamedTable label="Headers" entries={result.headers} />
      </Section>

      <Section title="Body" id="cmp-body">
        <BodyDifference body={result.body} />
      </Section>
    </div>
  );
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

function Values({ name, values }: { name: string; values: string[] }) {
  if (values.length === 0) return <span class="faint">—</span>;
  // The credentials are compared in the Authorization section, where they stay masked until revealed.
  if (isAuthorizationName(name)) return <span class="faint">{values.length === 1 ? 'see Authorization' : `${values.length} values, see Authorization`}</span>;
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

function NamedTable({ label, entries }: { label: string; entries: NamedDifference[] }) {
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
          <tr key={entry.name} class={`is-${entry.change}`} data-change={entry.change}>
            <th scope="row" class="mono">
              {entry.name}
            </th>
            <td>{CHANGE_LABEL[entry.change]}</td>
            <td>
              <Values name={entry.name} values={entry.a} />
            </td>
            <td>
              <Values name={entry.name} values={entry.b} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const LINE_MARK = { same: ' ', added: '+', removed: '-' } as const;

function BodyDifference({ body }: { body: BodyComparison }) {
  if (body.sameBytes) return <p class="muted">The bodies are identical.</p>;
  if (body.kind === 'json') {
    if (body.same) return <p>The bodies are the same JSON, written with different bytes.</p>;
    return (
      <ul class="comparison-json" aria-label="JSON changes">
        {body.changes.map((c) => (
          <li key={c.path} class={`is-${c.change}`}>
            <code>{c.path}</code>: <code>{c.a ?? '(absent)'}</code> → <code>{c.b ?? '(absent)'}</code>
          </li>
        ))}
      </ul>
    );
  }
  if (body.kind === 'form') return <NamedTable label="Form fields" entries={body.fields} />;
  if (body.kind === 'text') {
    return (
      <pre class="comparison-lines" aria-label="Line differences">
        {body.lines.map((line, i) => (
          <div key={i} class={`is-${line.op}`}>
            {LINE_MARK[line.op]} {line.text}
          </div>
        ))}
      </pre>
    );
  }
  return (
    <p>
      Binary bodies of {body.sizes[0]} and {body.sizes[1]} bytes{body.firstDifference === null ? '' : `, first differing at byte ${body.firstDifference + 1}`}.
    </p>
  );
}
