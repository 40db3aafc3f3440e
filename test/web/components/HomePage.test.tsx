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
