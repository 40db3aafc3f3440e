import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Expected } from '../../../shared/auth/types.ts';
import { analyze, readDecodeInput } from '../../../shared/auth/index.ts';
import { AuthPanel } from '../../components/AuthPanel.tsx';
import { ComparePanel } from '../../components/ComparePanel.tsx';
import { Section } from '../../components/Section.tsx';
import { useAppState } from '../../state/context.ts';
import './Decode.css';

const EXPECTED_KEY = 'decode';

/** Decode without capturing: paste an Authorization header (or a whole raw HTTP request) and get the same analysis. */
export function DecodePage() {
  const store = useAppState();
  // The pasted text stays in memory only: it usually holds a live credential.
  const [text, setText] = useState('');
  const expected = store.expected.forKey(EXPECTED_KEY).value;
  const setExpected = (value: Expected | null) => store.expected.set(EXPECTED_KEY, value);

  useEffect(() => {
    document.title = 'Decode a header · authbin';
  }, []);

  const input = useMemo(() => (text.trim() === '' ? null : readDecodeInput(text)), [text]);
  const analysis = useMemo(
    () => (input ? analyze({ headers: input.headers, url: input.url, body: input.body, contentType: input.contentType, now: Date.now() }) : null),
    [input],
  );
  const authorization = input?.headers.find(([name]) => name.toLowerCase() === 'authorization')?.[1] ?? null;

  return (
    <div class="page decode">
      <div class="decode-intro">
        <h1>Decode an Authorization header</h1>
        <p class="muted">
          Paste a header value (<code>Basic bWVAZXhhbXBsZS5jb20vdG9rZW46…</code>), a header line, or a whole raw HTTP request. It is
          decoded in your browser and never sent anywhere.
        </p>
      </div>
      <label class="field decode-input">
        <span>Authorization header or raw HTTP request</span>
        <textarea
          rows={6}
          value={text}
          spellcheck={false}
          autoComplete="off"
          placeholder={'Authorization: Basic …\n\nor\n\nPOST /api/v2/tickets.json HTTP/1.1\nHost: example.zendesk.com\nAuthorization: Basic …'}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      {input && (
        <p class="faint decode-mode">
          {input.mode === 'request'
            ? `Read as a raw HTTP request with ${input.headers.length} header${input.headers.length === 1 ? '' : 's'}.`
            : input.mode === 'headers'
              ? `Read as ${input.headers.length} header line${input.headers.length === 1 ? '' : 's'}.`
              : 'Read as the value of an Authorization header.'}
        </p>
      )}
      {analysis && (
        <Section title="Authorization" id="decode-auth">
          <AuthPanel analysis={analysis} headerValue={authorization} />
        </Section>
      )}
      <Section title="Compare with what you meant to send" id="decode-compare">
        <ComparePanel headers={input ? input.headers : null} expected={expected} onChange={setExpected} idPrefix="decode" />
      </Section>
    </div>
  );
}
