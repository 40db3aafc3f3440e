import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { Route, Router, useLocation } from 'preact-iso';
import { BinPage } from '../../../web/pages/Bin/index.tsx';
import { renderAt, startHarness, type Harness } from '../harness.tsx';
import { ManualFeed } from '../manual-feed.ts';

let h: Harness;
let feed: ManualFeed;
beforeEach(() => {
  feed = new ManualFeed();
  h = startHarness({ createEventSource: feed.factory });
});
afterEach(() => h.close());

function CurrentUrl() {
  return <output data-testid="url">{useLocation().url}</output>;
}

function renderBin(url: string) {
  return renderAt(
    h.store,
    url,
    <>
      <Router>
        <Route path="/bins/:bin" component={BinPage} />
        <Route path="/bins/:bin/requests/:id" component={BinPage} />
      </Router>
      <CurrentUrl />
    </>,
  );
}

const rows = () => within(screen.getByRole('list', { name: 'Requests' })).queryAllByRole('listitem');
const rowPaths = () => rows().map((r) => r.querySelector('.request-row-path')?.textContent);
const currentUrl = () => screen.getByTestId('url').textContent;

describe('bin page: search and filters', () => {
  beforeEach(async () => {
    await h.capture('/b/demo/paid', { method: 'POST', body: 'invoice paid' });
    await h.capture('/b/demo/opened', { method: 'PUT', headers: { 'X-Source': 'zendesk' }, body: 'ticket opened' });
    await h.capture('/b/demo/sent', { method: 'POST', body: 'invoice sent' });
  });

  it('filters by body text once typing pauses, and puts the filter in the page URL', async () => {
    renderBin('/bins/demo');
    await waitFor(() => expect(rows()).toHaveLength(3));
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search requests' }), { target: { value: 'invoice' } });
    await waitFor(() => expect(rowPaths()).toEqual(['/sent', '/paid']));
    expect(currentUrl()).toBe('/bins/demo?q=invoice');
    expect(screen.getByTestId('bin-count').textContent).toBe('2 matching of 3 requests');
  });

  it('reads the filter from the URL, so a filtered view can be reloaded and shared', async () => {
    renderBin('/bins/demo?method=post&q=invoice');
    await waitFor(() => expect(rowPaths()).toEqual(['/sent', '/paid']));
    expect((screen.getByRole('searchbox', { name: 'Search requests' }) as HTMLInputElement).value).toBe('invoice');
    expect((screen.getByRole('combobox', { name: 'Method' }) as HTMLSelectElement).value).toBe('POST');
  });

  it('applies the quick filters: method at once, a header by name and value', async () => {
    renderBin('/bins/demo');
    await waitFor(() => expect(rows()).toHaveLength(3));
    fireEvent.change(screen.getByRole('combobox', { name: 'Method' }), { target: { value: 'PUT' } });
    await waitFor(() => expect(rowPaths()).toEqual(['/opened']));
    expect(currentUrl()).toBe('/bins/demo?method=PUT');
    fireEvent.change(screen.getByRole('combobox', { name: 'Method' }), { target: { value: '' } });
    fireEvent.input(screen.getByRole('textbox', { name: 'Header (name or name:value)' }), { target: { value: 'X-Source:zen' } });
    await waitFor(() => expect(currentUrl()).toBe('/bins/demo?header=X-Source%3Azen'));
    await waitFor(() => expect(rowPaths()).toEqual(['/opened']));
  });

  it('keeps the filter while a request is opened from the filtered list', async () => {
    renderBin('/bins/demo?q=invoice');
    await waitFor(() => expect(rows()).toHaveLength(2));
    const link = rows()[1]!.querySelector('a')!;
    expect(link.getAttribute('href')).toMatch(/^\/bins\/demo\/requests\/\d+\?q=invoice$/);
  });

  it('keeps a filter typed while a request is open when ↓ moves to the next one', async () => {
    renderBin('/bins/demo');
    await waitFor(() => expect(rows()).toHaveLength(3));
    const [sent, , paid] = rows().map((r) => r.querySelector('a')!.dataset.requestId);
    fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    await waitFor(() => expect(currentUrl()).toBe(`/bins/demo/requests/${sent}`));

    fireEvent.input(screen.getByRole('searchbox', { name: 'Search requests' }), { target: { value: 'invoice' } });
    await waitFor(() => expect(rowPaths()).toEqual(['/sent', '/paid']));
    expect(currentUrl()).toBe(`/bins/demo/requests/${sent}?q=invoice`);

    fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    await waitFor(() => expect(currentUrl()).toBe(`/bins/demo/requests/${paid}?q=invoice`));
    expect(rowPaths()).toEqual(['/sent', '/paid']);
  });

  it('says when nothing matches and offers to clear the filter', async () => {
    renderBin('/bins/demo?q=refund');
    const none = await screen.findByText('No requests match this filter.');
    fireEvent.click(within(none.parentElement!).getByRole('button', { name: 'Clear filter' }));
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(currentUrl()).toBe('/bins/demo');
    expect((screen.getByRole('searchbox', { name: 'Search requests' }) as HTMLInputElement).value).toBe('');
  });

  it('refreshes the filtered list when a matching request arrives live, and leaves others out', async () => {
    renderBin('/bins/demo?q=invoice');
    await waitFor(() => expect(rows()).toHaveLength(2));
    feed.current.open();
    await h.capture('/b/demo/unrelated', { method: 'POST', body: 'ticket closed' });
    await h.capture('/b/demo/refunded', { method: 'POST', body: 'invoice refunded' });
    for (const summary of (await h.store.client.listRequests('demo', { limit: 2 })).requests) feed.current.deliver(summary);
    await waitFor(() => expect(rowPaths()).toEqual(['/refunded', '/sent', '/paid']));
    await waitFor(() => expect(screen.getByTestId('bin-count').textContent).toBe('3 matching of 5 requests'));
  });
});

describe('bin page: export and import', () => {
  it('links to the NDJSON and HAR downloads', async () => {
    await h.capture('/b/demo/a');
    renderBin('/bins/demo');
    const group = await screen.findByRole('group', { name: 'Export and import' });
    await waitFor(() => expect(within(group).getByRole('link', { name: 'Export NDJSON' }).getAttribute('href')).toBe('/api/bins/demo/export?format=ndjson'));
    expect(within(group).getByRole('link', { name: 'Export HAR' }).getAttribute('href')).toBe('/api/bins/demo/export?format=har');
  });

  it('offers the NDJSON export of a bin that has rules but no request, since the export carries them', async () => {
    renderBin('/bins/ruled');
    const group = await screen.findByRole('group', { name: 'Export and import' });
    await screen.findByText('Waiting for the first request');
    expect(within(group).getByText('Nothing to export yet')).toBeTruthy();
    const rules = [{ name: 'teapot', when: [], respond: { status: 418 } }];
    await h.server.app.request('/api/bins/ruled/rules', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
    // Rules are edited in the bin settings: closing them looks again.
    fireEvent.click(screen.getByRole('button', { name: 'Bin settings' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(within(group).getByRole('link', { name: 'Export NDJSON' }).getAttribute('href')).toBe('/api/bins/ruled/export?format=ndjson'));
    expect(within(group).queryByRole('link', { name: 'Export HAR' })).toBeNull();
    expect(within(group).queryByText('Nothing to export yet')).toBeNull();
  });

  async function pick(name: string, text: string) {
    const input = screen.getByLabelText('Import…') as HTMLInputElement;
    Object.defineProperty(input, 'files', { configurable: true, value: [new File([text], name)] });
    fireEvent.change(input);
  }

  it('imports an export file and lists what it brought', async () => {
    await h.capture('/b/source/one', { method: 'POST', body: 'first' });
    await h.capture('/b/source/two', { method: 'PUT', body: 'second' });
    const exported = await (await h.server.app.request('/api/bins/source/export?format=ndjson')).text();
    renderBin('/bins/target');
    await screen.findByText('Waiting for the first request');
    await pick('source.ndjson', exported);
    await screen.findByText('Imported 2 requests from source.ndjson.');
    await waitFor(() => expect(rowPaths()).toEqual(['/two', '/one']));
  });

  it('says how many rules an export brought, and how many wait for their secret', async () => {
    const rules = [
      { name: 'Zendesk', when: [{ credentials: { kind: 'api-token', email: 'me@example.com', token: 'token-typed-before-1234' }, not: true }], respond: { status: 401 } },
      { name: 'ok', when: [], respond: { status: 200 } },
    ];
    await h.capture('/b/source/one', { method: 'POST', body: 'first' });
    await h.server.app.request('/api/bins/source/rules', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
    const exported = await (await h.server.app.request('/api/bins/source/export?format=ndjson')).text();
    renderBin('/bins/target');
    await screen.findByText('Waiting for the first request');
    await pick('source.ndjson', exported);
    await screen.findByText('Imported 1 request from source.ndjson. 2 rules imported; 1 needs its secret re-entered (exports leave secrets out).');
    await pick('source.ndjson', exported);
    await screen.findByText('Imported 1 request from source.ndjson. Its 2 rules were not imported: the bin has rules of its own.');
  });

  it('shows the server’s reason when a file cannot be imported', async () => {
    renderBin('/bins/target');
    await screen.findByText('Waiting for the first request');
    await pick('broken.ndjson', 'this is not json');
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Import of broken\.ndjson failed: line 1: not valid JSON/);
  });
});

describe('bin page: signatures in the list', () => {
  it('marks each row ✓ or ✗ against the bin’s signing secret, verified in the browser', async () => {
    const secret = 'github-webhook-secret';
    const sign = (key: string, body: string) => 'sha256=' + createHmac('sha256', key).update(body).digest('hex');
    await h.capture('/b/demo/good', { method: 'POST', headers: { 'X-Hub-Signature-256': sign(secret, 'a') }, body: 'a' });
    await h.capture('/b/demo/bad', { method: 'POST', headers: { 'X-Hub-Signature-256': sign('other', 'b') }, body: 'b' });
    await h.capture('/b/demo/plain', { method: 'POST', body: 'c' });
    h.store.signatureSecrets.set('demo', { secret });
    renderBin('/bins/demo');
    const marks = () => rows().map((r) => within(r).queryByTestId('row-signature')?.textContent);
    await waitFor(() => expect(marks()).toEqual(['unsigned: no signature', '✗ GitHub: signature invalid', '✓ GitHub: signature valid']));

    // Another secret: every mark is checked again.
    h.store.signatureSecrets.set('demo', { secret: 'other' });
    await waitFor(() => expect(marks()).toEqual(['unsigned: no signature', '✓ GitHub: signature valid', '✗ GitHub: signature invalid']));
    h.store.signatureSecrets.set('demo', null);
    await waitFor(() => expect(marks()).toEqual([undefined, undefined, undefined]));
  });
});

describe('bin page: forwarding', () => {
  it('saves the forwarding target in the bin settings and stops it again', async () => {
    await h.capture('/b/demo/a');
    renderBin('/bins/demo');
    fireEvent.click(await screen.findByRole('button', { name: 'Bin settings' }));
    const box = screen.getByRole('textbox', { name: 'Forward each request to' });
    fireEvent.input(box, { target: { value: 'localhost:3000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save forwarding' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/start it with http:\/\//);
    fireEvent.input(box, { target: { value: 'http://127.0.0.1:3000/webhook' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save forwarding' }));
    expect(await screen.findByText('Each new request is relayed to http://127.0.0.1:3000/webhook.')).toBeTruthy();
    expect((await h.store.client.getBin('demo')).forwardTo).toBe('http://127.0.0.1:3000/webhook');
    fireEvent.click(screen.getByRole('button', { name: 'Stop forwarding' }));
    expect(await screen.findByText('Forwarding is off.')).toBeTruthy();
    expect((await h.store.client.getBin('demo')).forwardTo).toBeNull();
  });

  it('shows how relaying the request went: the target’s status and time, or the error', async () => {
    const ok = await h.capture('/b/demo/ok');
    const failed = await h.capture('/b/demo/failed');
    await h.server.store.recordForward(ok, { target: 'http://127.0.0.1:3000/webhook', status: 204, durationMs: 12.4, error: null, at: new Date().toISOString() });
    await h.server.store.recordForward(failed, { target: 'http://127.0.0.1:3000/webhook', status: null, durationMs: 3, error: 'connect ECONNREFUSED 127.0.0.1:3000', at: new Date().toISOString() });
    renderBin(`/bins/demo/requests/${ok}`);
    expect((await screen.findByTestId('forward-status')).textContent).toBe('Forwarded to http://127.0.0.1:3000/webhook: 204 in 12 ms');
    renderBin(`/bins/demo/requests/${failed}`);
    await waitFor(() => expect(screen.getAllByTestId('forward-status').at(-1)!.textContent).toBe('Forwarding to http://127.0.0.1:3000/webhook failed after 3 ms: connect ECONNREFUSED 127.0.0.1:3000'));
  });

  it('says a fresh request is being relayed, and shows the result once the server records it', async () => {
    const id = await h.capture('/b/demo/fresh');
    await h.store.client.setBinForward('demo', 'http://127.0.0.1:3000/webhook');
    renderBin(`/bins/demo/requests/${id}`);
    expect((await screen.findByTestId('forward-status')).textContent).toBe('Forwarding to http://127.0.0.1:3000/webhook…');
    await h.server.store.recordForward(id, { target: 'http://127.0.0.1:3000/webhook', status: 200, durationMs: 5, error: null, at: new Date().toISOString() });
    await waitFor(() => expect(screen.getByTestId('forward-status').textContent).toBe('Forwarded to http://127.0.0.1:3000/webhook: 200 in 5 ms'), { timeout: 3000 });
  });
});
