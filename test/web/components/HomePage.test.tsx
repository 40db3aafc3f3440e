import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { useLocation } from 'preact-iso';
import { HomePage } from '../../../web/pages/Home/index.tsx';
import { renderAt, startHarness, type Harness } from '../harness.tsx';

let h: Harness;
beforeEach(() => {
  h = startHarness();
});
afterEach(() => h.close());

function CurrentPath() {
  return <output data-testid="path">{useLocation().path}</output>;
}

describe('home page', () => {
  it('lists the bins with their request counts', async () => {
    await h.capture('/b/alpha/hook', { method: 'POST', body: '{}' });
    await h.capture('/b/alpha/hook', { method: 'POST', body: '{}' });
    await h.capture('/b/beta');
    renderAt(h.store, '/', <HomePage />);
    const alpha = await screen.findByRole('link', { name: 'alpha' });
    expect(alpha.getAttribute('href')).toBe('/bins/alpha');
    const row = alpha.closest('tr')!;
    expect(row.textContent).toContain('2');
    expect(screen.getByRole('link', { name: 'beta' })).toBeTruthy();
  });

  it('shows the first 100 bins and the next ones on demand, never all at once', async () => {
    for (let i = 0; i < 130; i++) await h.server.store.createBin(`bin-${String(i).padStart(3, '0')}`, null);
    renderAt(h.store, '/', <HomePage />);
    // The latest first: bin-000, made first, is on the second page.
    // Text, not role, queries: role queries over 100 rows take seconds in happy-dom.
    await screen.findByText('bin-129');
    expect(screen.queryByText('bin-000')).toBeNull();
    const rows = () => document.querySelectorAll('.bins-table tbody tr').length;
    expect(rows()).toBe(100);
    fireEvent.click(screen.getByRole('button', { name: 'Show more' }));
    await waitFor(() => expect(rows()).toBe(130));
    expect(screen.getByText('bin-000')).toBeTruthy();
    expect(screen.queryByText('Show more')).toBeNull();
  }, 30_000);

  it('finds a bin by a part of its name, asking the server once the typing pauses', async () => {
    for (let i = 0; i < 130; i++) await h.server.store.createBin(`bin-${String(i).padStart(3, '0')}`, null);
    await h.capture('/b/zendesk-prod');
    const asked: string[] = [];
    const request = h.server.app.request.bind(h.server.app);
    h.server.app.request = ((input: string, init?: RequestInit) => {
      if (String(input).startsWith('/api/bins')) asked.push(String(input));
      return request(input, init);
    }) as typeof h.server.app.request;
    renderAt(h.store, '/', <HomePage />);
    await screen.findByText('zendesk-prod');
    const box = screen.getByRole('searchbox', { name: 'Find a bin by name' });
    for (const text of ['z', 'ze', 'zen', 'ZEND']) fireEvent.input(box, { target: { value: text } });
    await waitFor(() => expect(screen.queryByText('bin-129')).toBeNull());
    expect(screen.getByText('zendesk-prod')).toBeTruthy();
    expect(asked).toEqual(['/api/bins', '/api/bins?q=ZEND']);
    expect(screen.queryByText('Show more')).toBeNull();

    fireEvent.input(box, { target: { value: 'nothing-like-it' } });
    expect(await screen.findByText('No bin name holds “nothing-like-it”.')).toBeTruthy();
  }, 30_000);

  it('teaches what to do when there are no bins', async () => {
    renderAt(h.store, '/', <HomePage />);
    expect(await screen.findByText(/No bins yet/)).toBeTruthy();
  });

  it('creates a bin in one click and opens it', async () => {
    renderAt(
      h.store,
      '/',
      <>
        <HomePage />
        <CurrentPath />
      </>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'New bin' }));
    await waitFor(() => expect(screen.getByTestId('path').textContent).toMatch(/^\/bins\/[A-Za-z0-9_-]+$/));
    const id = screen.getByTestId('path').textContent!.slice('/bins/'.length);
    const bins = await h.store.client.listBins();
    expect(bins.bins.map((b) => b.id)).toEqual([id]);
  });

  it('creates a bin with the chosen name, and refuses a name the server would not accept', async () => {
    renderAt(h.store, '/', <HomePage />);
    const name = screen.getByRole('textbox', { name: 'Bin name (optional)' });
    fireEvent.input(name, { target: { value: 'has space' } });
    fireEvent.click(screen.getByRole('button', { name: 'New bin' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/1–64 letters/);

    fireEvent.input(name, { target: { value: 'zendesk-test' } });
    fireEvent.click(screen.getByRole('button', { name: 'New bin' }));
    await waitFor(async () => expect((await h.store.client.listBins()).bins.map((b) => b.id)).toEqual(['zendesk-test']));
  });
});
