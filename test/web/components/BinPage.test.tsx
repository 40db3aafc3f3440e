import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
afterEach(async () => {
  vi.unstubAllGlobals();
  await h.close();
});

const apiToken = (email: string, token: string) => ({ Authorization: 'Basic ' + btoa(`${email}/token:${token}`) });
const TOKEN = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';

function CurrentPath() {
  return <output data-testid="path">{useLocation().path}</output>;
}

function renderBin(url: string) {
  return renderAt(
    h.store,
    url,
    <>
      <Router>
        <Route path="/bins/:bin" component={BinPage} />
        <Route path="/bins/:bin/requests/:id" component={BinPage} />
        <Route default component={() => <p>elsewhere</p>} />
      </Router>
      <CurrentPath />
    </>,
  );
}

const rows = () => within(screen.getByRole('list', { name: 'Requests' })).queryAllByRole('listitem');
const path = () => screen.getByTestId('path').textContent;

describe('bin page', () => {
  it('shows how to send the first request while the bin is empty', async () => {
    renderBin('/bins/fresh');
    expect(await screen.findByText('Waiting for the first request')).toBeTruthy();
    expect(screen.getByTestId('capture-url').textContent).toBe('http://authbin.test/b/fresh');
    expect(screen.getByText(/curl -u 'me@example.com\/token:YOUR_API_TOKEN'/).textContent).toContain("'http://authbin.test/b/fresh/hook'");
    expect(screen.getByText('As a Zendesk webhook')).toBeTruthy();
  });

  it('lists requests newest first with method, path, size and auth badge', async () => {
    await h.capture('/b/demo/first', { method: 'POST', headers: apiToken('me@example.com', TOKEN), body: '{"a":1}' });
    await h.capture('/b/demo/second?x=1', { method: 'PUT' });
    renderBin('/bins/demo');
    await waitFor(() => expect(rows()).toHaveLength(2));
    const [newest, oldest] = rows();
    expect(newest!.textContent).toContain('PUT');
    expect(newest!.textContent).toContain('/second?x=1');
    expect(newest!.textContent).toContain('none');
    expect(oldest!.textContent).toContain('/first');
    expect(oldest!.textContent).toContain('Basic · api-token · me@example.com');
    expect(oldest!.textContent).toContain('7 B');
    expect(screen.getByText('2 requests')).toBeTruthy();
  });

  it('adds a request that arrives on the live stream at the top, without a reload', async () => {
    await h.capture('/b/demo/old');
    renderBin('/bins/demo');
    await waitFor(() => expect(rows()).toHaveLength(1));
    feed.current.open();
    expect(await screen.findByText('live')).toBeTruthy();

    await h.capture('/b/demo/new', { method: 'DELETE' });
    const [summary] = (await h.store.client.listRequests('demo', { limit: 1 })).requests;
    feed.current.deliver(summary!);
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()[0]!.textContent).toContain('/new');
    // The same request from a page fetch and the stream is listed once.
    feed.current.deliver(summary!);
    expect(rows()).toHaveLength(2);
    expect(screen.getByText('2 requests')).toBeTruthy();
  });

  it('after the stream gives up, reopens it from the newest listed request and fetches what was missed', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      await h.capture('/b/demo/one');
      renderBin('/bins/demo');
      await waitFor(() => expect(rows()).toHaveLength(1));
      const firstId = rows()[0]!.querySelector('a')!.dataset.requestId!;
      feed.current.open();
      feed.current.fail(true);
      expect(await screen.findByText('reconnecting…')).toBeTruthy();
      await h.capture('/b/demo/missed-while-away');
      await vi.advanceTimersByTimeAsync(600);
      expect(feed.opened).toHaveLength(2);
      expect(feed.current.closed).toBe(false);
      expect(feed.opened[1]!.url).toBe(`/api/bins/demo/events?lastEventId=${firstId}`);
      feed.current.open();
      await waitFor(() => expect(rows()).toHaveLength(2));
      expect(rows()[0]!.textContent).toContain('/missed-while-away');
    } finally {
      vi.useRealTimers();
    }
  });

  it('moves through requests with ↓ and ↑ and shows the selected one', async () => {
    await h.capture('/b/demo/older', { headers: apiToken('older@example.com', TOKEN) });
    await h.capture('/b/demo/newer', { headers: apiToken('newer@example.com', TOKEN) });
    renderBin('/bins/demo');
    await waitFor(() => expect(rows()).toHaveLength(2));
    const ids = rows().map((r) => r.querySelector('a')!.dataset.requestId);

    fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    await waitFor(() => expect(path()).toBe(`/bins/demo/requests/${ids[0]}`));
    expect((await screen.findByTestId('auth-user')).textContent).toBe('newer@example.com');

    fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    await waitFor(() => expect(path()).toBe(`/bins/demo/requests/${ids[1]}`));
    await waitFor(() => expect(screen.getByTestId('auth-user').textContent).toBe('older@example.com'));

    fireEvent.keyDown(document.body, { key: 'ArrowUp' });
    await waitFor(() => expect(path()).toBe(`/bins/demo/requests/${ids[0]}`));
    expect(rows()[0]!.querySelector('a')!.getAttribute('aria-current')).toBe('true');
  });

  it('ignores the arrow keys while the user types in a field', async () => {
    await h.capture('/b/demo/a');
    renderBin('/bins/demo');
    await waitFor(() => expect(rows()).toHaveLength(1));
    const field = document.createElement('input');
    document.body.append(field);
    fireEvent.keyDown(field, { key: 'ArrowDown' });
    expect(path()).toBe('/bins/demo');
    field.remove();
  });

  it('loads a page at a time, never the whole bin', async () => {
    for (let i = 0; i < 120; i++) await h.capture(`/b/big/r${i}`);
    renderBin('/bins/big');
    await screen.findByText('120 requests');
    expect(rows().length).toBeGreaterThan(0);
    expect(rows().length).toBeLessThan(50);
    fireEvent.click(screen.getByRole('button', { name: 'Load older requests' }));
    await waitFor(() => expect(screen.getByRole('list', { name: 'Requests' }).style.height).toBe(`${100 * 58 + 48}px`));
  });

  it('marks each row ✓ or ✗ against the credentials expected for the bin', async () => {
    await h.capture('/b/demo/right', { headers: apiToken('me@example.com', TOKEN) });
    await h.capture('/b/demo/wrong', { headers: apiToken('me@example.com', TOKEN.slice(0, -1) + 'X') });
    await h.capture('/b/demo/anonymous');
    h.store.expected.set('demo', { kind: 'api-token', email: 'me@example.com', token: TOKEN });
    renderBin('/bins/demo');
    await waitFor(() => expect(rows()).toHaveLength(3));
    await waitFor(() => expect(rows().map((r) => r.querySelector('.request-row-match')?.textContent)).toEqual(['✗ does not match expected', '✗ does not match expected', '✓ matches expected']));
  });

  it('deletes the selected request and clears the bin', async () => {
    // happy-dom has no confirm dialog; the user says yes.
    vi.stubGlobal('confirm', () => true);
    await h.capture('/b/demo/a');
    const second = await h.capture('/b/demo/b');
    await h.capture('/b/demo/c');
    renderBin(`/bins/demo/requests/${second}`);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete request' }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(path()).not.toBe(`/bins/demo/requests/${second}`);
    expect((await h.store.client.listRequests('demo')).requests.map((r) => r.path)).toEqual(['/c', '/a']);

    fireEvent.click(screen.getByRole('button', { name: 'Clear bin' }));
    expect(await screen.findByText('Waiting for the first request')).toBeTruthy();
    expect((await h.store.client.listRequests('demo')).requests).toEqual([]);
  });

  it('sets the response the bin answers with', async () => {
    await h.capture('/b/demo/a');
    renderBin('/bins/demo');
    fireEvent.click(await screen.findByRole('button', { name: 'Bin settings' }));
    fireEvent.input(screen.getByRole('spinbutton', { name: 'Status' }), { target: { value: '503' } });
    fireEvent.input(screen.getByRole('textbox', { name: 'Body' }), { target: { value: 'try later' } });
    fireEvent.input(screen.getByRole('textbox', { name: /Extra headers/ }), { target: { value: 'Retry-After: 7' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save response' }));
    expect(await screen.findByText(/Saved/)).toBeTruthy();
    const answer = await h.server.app.request('/b/demo/again');
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(await answer.text()).toBe('try later');

    fireEvent.click(screen.getByRole('button', { name: 'Restore default' }));
    expect(await screen.findByText(/Restored the default/)).toBeTruthy();
    expect((await h.server.app.request('/b/demo/again')).status).toBe(200);
  });

  it('lets a bin page run scripts only when ticked, and refuses a header the server would refuse', async () => {
    await h.capture('/b/demo/a');
    renderBin('/bins/demo');
    fireEvent.click(await screen.findByRole('button', { name: 'Bin settings' }));
    fireEvent.input(screen.getByRole('textbox', { name: /Extra headers/ }), { target: { value: 'Content-Length: 2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save response' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/may not set "Content-Length"/);

    fireEvent.input(screen.getByRole('textbox', { name: /Extra headers/ }), { target: { value: '' } });
    fireEvent.input(screen.getByRole('textbox', { name: 'Content type' }), { target: { value: 'text/html' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /Allow scripts/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Save response' }));
    expect(await screen.findByText(/Saved/)).toBeTruthy();
    expect((await h.server.app.request('/b/demo/again')).headers.get('content-security-policy')).toBe('sandbox allow-scripts');

    fireEvent.click(screen.getByRole('checkbox', { name: /Allow scripts/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Save response' }));
    await waitFor(async () => expect((await h.server.app.request('/b/demo/again')).headers.get('content-security-policy')).toBe("sandbox; default-src 'none'"));
  });
});
