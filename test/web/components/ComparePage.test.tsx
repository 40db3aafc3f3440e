import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { Route, Router, useLocation } from 'preact-iso';
import { RequestInspector } from '../../../web/components/RequestInspector.tsx';
import { BinPage } from '../../../web/pages/Bin/index.tsx';
import { ComparePage } from '../../../web/pages/Compare/index.tsx';
import { createApiClient } from '../../../web/api/client.ts';
import { createAppState } from '../../../web/state/context.ts';
import { sendRaw } from '../../helpers/raw-http.ts';
import { renderAt, startHarness, type Harness } from '../harness.tsx';
import { ManualFeed } from '../manual-feed.ts';

let h: Harness;
beforeEach(() => {
  h = startHarness({ createEventSource: new ManualFeed().factory });
});
afterEach(() => h.close());

const TOKEN = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
const good = { Authorization: 'Basic ' + btoa(`jane@example.com/token:${TOKEN}`) };
// What `echo 'jane@example.com/token:…' | base64` gives: a line break inside the credentials.
const withNewline = { Authorization: 'Basic ' + btoa(`jane@example.com/token:${TOKEN}\n`) };

function CurrentPath() {
  return <output data-testid="path">{useLocation().path}</output>;
}

function renderApp(url: string, store = h.store) {
  return renderAt(
    store,
    url,
    <>
      <Router>
        <Route path="/bins/:bin" component={BinPage} />
        <Route path="/compare/:a/:b" component={ComparePage} />
      </Router>
      <CurrentPath />
    </>,
  );
}

const path = () => screen.getByTestId('path').textContent;

describe('compare page', () => {
  it('says the difference in one sentence and keeps both secrets masked until revealed', async () => {
    const a = await h.capture('/b/works/hook', { method: 'POST', headers: { ...good, 'Content-Type': 'application/json' }, body: '{"ticket":{"status":"open"}}' });
    const b = await h.capture('/b/fails/hook', { method: 'POST', headers: { ...withNewline, 'content-type': 'application/json' }, body: '{"ticket":{"status":"solved"}}' });
    renderApp(`/compare/${a}/${b}`);
    const headline = await screen.findByTestId('compare-headline');
    expect(headline.textContent).toBe("Same credentials, but B's API token ends with a line break");
    expect(document.body.textContent).not.toContain(TOKEN);
    const sideB = screen.getByRole('group', { name: 'Authorization of B' });
    expect(within(sideB).getByRole('list', { name: 'Findings only in B' }).querySelector('[data-code="trailing-newline"]')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: "Reveal B's API token" }));
    expect(within(sideB).getByText(`${TOKEN}\\n`)).toBeTruthy();
    const headers = screen.getByRole('table', { name: 'Headers' });
    expect(within(headers).getByText('Content-Type').closest('tr')?.dataset.change).toBe('same');
    expect(screen.getByRole('list', { name: 'Header notes' }).textContent).toContain('A sends "Content-Type", B sends "content-type"');
    expect(screen.getByRole('list', { name: 'JSON changes' }).textContent).toBe('$.ticket.status: "open" → "solved"');
  });

  it('counts header name case as a change once strict is on', async () => {
    const a = await h.capture('/b/one', { headers: { 'X-Trace': '1' } });
    const b = await h.capture('/b/one', { headers: { 'x-trace': '1' } });
    renderApp(`/compare/${a}/${b}`);
    const headline = await screen.findByTestId('compare-headline');
    // Captures of the same bin still differ by their bodies and little else; here nothing but the name case.
    expect(headline.textContent).toBe('No differences.');
    fireEvent.click(screen.getByRole('checkbox', { name: /Strict/ }));
    await waitFor(() => expect(screen.getByTestId('compare-headline').textContent).toBe('Header name case differs: A sends "X-Trace", B sends "x-trace"'));
  });

  it('shows form bodies field by field and text bodies line by line, line ends visible', async () => {
    const formType = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const a = await h.capture('/b/one', { method: 'POST', headers: formType, body: 'user=jane&tag=a' });
    const b = await h.capture('/b/one', { method: 'POST', headers: formType, body: 'tag=a&user=jane%0A' });
    renderApp(`/compare/${a}/${b}`);
    const fields = await screen.findByRole('table', { name: 'Form fields' });
    expect(within(fields).getByText('user').closest('tr')?.textContent).toBe('userchangedjanejane\\n');
    const c = await h.capture('/b/one', { method: 'POST', body: 'one\r\ntwo\n' });
    const d = await h.capture('/b/one', { method: 'POST', body: 'one\ntwo\n' });
    renderApp(`/compare/${c}/${d}`);
    const lines = await screen.findByLabelText('Line differences');
    expect([...lines.children].map((line) => line.textContent)).toEqual(['- one\\r\\n', '+ one\\n', '  two\\n']);
  });

  it('says a request the HTTP parser refused was refused and why, compares its head, and shows no body for it', async () => {
    const credentials = btoa(`jane.roe@example.com/token:${TOKEN}`);
    const a = await h.capture('/b/works/hook', { headers: { Authorization: `Basic ${credentials}` } });
    // What curl sends for -H "Authorization: Basic $(… | base64)": GNU base64 wraps at 76 columns, a bare line feed in the header.
    const sent = `GET /b/fails/hook HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic ${credentials.slice(0, 76)}\n${credentials.slice(76)}\r\nConnection: close\r\n\r\n`;
    const answer = await sendRaw(await h.server.listen(), sent);
    expect(answer.status).toBe(400);
    const b = /Stored as request (\d+)/.exec(answer.body)![1]!;
    renderApp(`/compare/${a}/${b}`);
    const headline = await screen.findByTestId('compare-headline');
    expect(headline.textContent).toMatch(/^B was refused by the HTTP parser: the Authorization header contains a line break where base64 wrapped it at 76 columns\. /);
    const parser = screen.getByTestId('compare-refusal');
    expect(parser.dataset.difference).toBe('HTTP parser');
    expect(parser.textContent).toMatch(/^HTTP parseracceptedrefused by the HTTP parser: the Authorization header contains a line break.* HPE_CR_EXPECTED$/);
    const authorization = within(screen.getByRole('table', { name: 'Headers' })).getByText('Authorization').closest('tr')!;
    expect(authorization.dataset.change).toBe('changed');
    expect(screen.getByRole('group', { name: 'Authorization of B' }).querySelector('[data-code="whitespace"]')).toBeTruthy();
    expect(screen.getByText('B has no body to compare: the HTTP parser refused it at its head, before any body was read.')).toBeTruthy();
    // Its head is not shown as a body.
    expect(document.body.textContent).not.toContain('GET /b/fails/hook HTTP/1.1');
    expect(document.body.textContent).not.toContain(credentials.slice(0, 20));
  });

  it('says when a request no longer exists', async () => {
    const a = await h.capture('/b/one');
    renderApp(`/compare/${a}/${Number(a) + 1000}`);
    expect((await screen.findByRole('alert')).textContent).toBe('Request B no longer exists: it was deleted or expired.');
  });
});

describe('moving between differences with the keyboard', () => {
  it('moves focus with j and k (or n and p), wraps around, and announces each stop', async () => {
    const a = await h.capture('/b/one/hook?page=1', { method: 'POST', headers: { ...good, 'X-Trace': '1' }, body: '{"a":1,"b":2}' });
    const b = await h.capture('/b/one/hook?page=2', { method: 'POST', headers: { ...withNewline, 'X-Trace': '2' }, body: '{"a":1,"b":3}' });
    renderApp(`/compare/${a}/${b}`);
    await screen.findByTestId('compare-headline');
    const announcement = screen.getByTestId('difference-announcement');
    await waitFor(() => expect(screen.getByRole('group', { name: 'Move between differences' }).textContent).toContain('5 differences'));
    const stops = ['Authorization', 'Query parameter page, changed', 'Header Authorization, changed', 'Header X-Trace, changed', 'Body $.b, changed'];
    for (const [i, label] of stops.entries()) {
      fireEvent.keyDown(document.body, { key: i % 2 === 0 ? 'j' : 'n' });
      expect(announcement.textContent).toBe(`Difference ${i + 1} of 5: ${label}`);
      expect((document.activeElement as HTMLElement).dataset.difference).toBe(label);
    }
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(announcement.textContent).toBe('Difference 1 of 5: Authorization');
    fireEvent.keyDown(document.body, { key: 'k' });
    expect(announcement.textContent).toBe('Difference 5 of 5: Body $.b, changed');
    fireEvent.click(screen.getByRole('button', { name: 'Previous difference' }));
    expect(announcement.textContent).toBe('Difference 4 of 5: Header X-Trace, changed');
    // Keys typed into a field are the field's.
    fireEvent.keyDown(screen.getByRole('checkbox', { name: /Strict/ }), { key: 'p' });
    expect(announcement.textContent).toBe('Difference 4 of 5: Header X-Trace, changed');
  });
});

describe('signatures on the compare page', () => {
  const secret = 'zendesk-signing-secret-1234567890';
  const timestamp = '2024-05-01T12:00:00Z';
  const original = '{"ticket": {"id": 35436, "status": "open"}}';
  const headers = {
    'Content-Type': 'application/json',
    'X-Zendesk-Webhook-Signature': createHmac('sha256', secret).update(timestamp + original).digest('base64'),
    'X-Zendesk-Webhook-Signature-Timestamp': timestamp,
  };

  it('names the re-serialised body as what differs, and with the secret typed here says which one verifies, sending it nowhere', async () => {
    const sent: string[] = [];
    const client = createApiClient({
      fetch: async (input, init) => {
        sent.push(`${init?.method ?? 'GET'} ${input} ${typeof init?.body === 'string' ? init.body : ''}`);
        return h.server.app.request(input, init);
      },
    });
    const store = createAppState({ client, storage: sessionStorage, origin: 'http://authbin.test' });
    const a = await h.capture('/b/hooks/zendesk', { method: 'POST', headers, body: original });
    // The same delivery passed on by a proxy that parsed and re-serialised the JSON, signature headers kept.
    const b = await h.capture('/b/hooks/zendesk', { method: 'POST', headers, body: JSON.stringify(JSON.parse(original)) });
    renderApp(`/compare/${a}/${b}`, store);
    const headline = await screen.findByTestId('compare-headline');
    expect(headline.textContent).toBe('Zendesk signatures: the same signature, though the body bytes (the same JSON, written differently) differ, so one of them cannot verify');
    fireEvent.input(screen.getByLabelText('Signing secret, to see which one verifies'), { target: { value: secret } });
    await waitFor(() => expect(screen.getByTestId('signature-outcome').textContent).toBe("With this secret, A's Zendesk signature verifies and B's does not."));
    const checks = screen.getByRole('table', { name: 'Signature checks' });
    expect(within(checks).getByText('Zendesk').closest('tr')?.textContent).toMatch(/^Zendesk✓ Valid.*✗ Invalid/);
    expect(sent.some((call) => call.includes(secret) || call.includes('/verify'))).toBe(false);
  });
});

describe('multipart bodies on the compare page', () => {
  it('shows fields and files side by side, files by name, type, size and SHA-256', async () => {
    const form = (boundary: string, csv: string) => ({
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body:
        `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="data.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
    });
    const a = await h.capture('/b/one', form('aaaa', 'x,y\n1,2\n'));
    const b = await h.capture('/b/one', form('bbbb', 'x,y\n1,3\n'));
    renderApp(`/compare/${a}/${b}`);
    const table = await screen.findByRole('table', { name: 'Multipart fields' });
    expect(within(table).getByText('note').closest('tr')?.dataset.change).toBe('same');
    const upload = within(table).getByText('upload').closest('tr')!;
    expect(upload.dataset.change).toBe('changed');
    expect(upload.textContent).toContain('file data.csv, text/csv, 8 B, SHA-256');
    expect(screen.getByTestId('compare-headline').textContent).toBe('Headers differ: Content-Type (changed)');
  });
});

describe('getting to the comparison', () => {
  it('compares the two requests ticked (or shift-clicked) in the list', async () => {
    const first = await h.capture('/b/demo/first', { headers: good });
    const second = await h.capture('/b/demo/second', { headers: withNewline });
    await h.capture('/b/demo/third');
    renderApp('/bins/demo');
    const compare = await screen.findByRole('button', { name: /^Compare/ });
    expect(compare.hasAttribute('disabled')).toBe(true);
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Pick GET /first to compare' }));
    expect(compare.textContent).toBe('Compare (1/2)');
    const secondRow = document.querySelector(`[data-request-id="${second}"]`) as HTMLElement;
    fireEvent.click(secondRow, { shiftKey: true });
    expect(path()).toBe('/bins/demo');
    expect((screen.getByRole('checkbox', { name: 'Pick GET /second to compare' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(compare);
    await waitFor(() => expect(path()).toBe(`/compare/${first}/${second}`));
    expect((await screen.findByTestId('compare-headline')).textContent).toBe("Same credentials, but B's API token ends with a line break");
  });

  it('compares with a request of another bin from the inspector', async () => {
    const a = await h.capture('/b/one', { headers: good });
    const b = await h.capture('/b/two', { headers: withNewline });
    const detail = await h.store.client.getRequest(a);
    renderAt(
      h.store,
      '/',
      <>
        <RequestInspector request={detail} expected={null} onExpectedChange={() => {}} onDelete={() => {}} />
        <CurrentPath />
      </>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Compare with…' }));
    fireEvent.input(screen.getByRole('textbox', { name: 'Other request (id or link)' }), { target: { value: `http://authbin.test/bins/two/requests/${b}?q=x` } });
    fireEvent.click(screen.getByRole('button', { name: 'Compare' }));
    await waitFor(() => expect(path()).toBe(`/compare/${a}/${b}`));
  });
});
