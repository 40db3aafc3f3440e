import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import type { Expected, HeaderPair } from '../../../shared/auth/types.ts';
import { ComparePanel } from '../../../web/components/ComparePanel.tsx';
import { createExpectedStore } from '../../../web/state/expected.ts';

const EMAIL = 'jdoe@example.com';
const TOKEN = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
const sent: HeaderPair[] = [['Authorization', 'Basic ' + btoa(`${EMAIL}/token:${TOKEN}`)]];

function Panel({ headers, initial = null }: { headers: HeaderPair[] | null; initial?: Expected | null }) {
  const [expected, setExpected] = useState<Expected | null>(initial);
  return <ComparePanel headers={headers} expected={expected} onChange={setExpected} idPrefix="t" />;
}

const type = (name: string, value: string) => fireEvent.input(screen.getByRole('textbox', { name }), { target: { value } });

beforeEach(() => sessionStorage.clear());
afterEach(() => cleanup());

describe('compare panel', () => {
  it('says MATCH when the API token and email are the ones sent', () => {
    render(<Panel headers={sent} />);
    fireEvent.click(screen.getByRole('radio', { name: 'API token' }));
    type('Email', EMAIL);
    type('API token', TOKEN);
    const result = screen.getByTestId('compare-result');
    expect(result.textContent).toMatch(/^MATCH/);
  });

  it('names the part that differs when one character of the token is wrong, without showing the token', () => {
    render(<Panel headers={sent} />);
    fireEvent.click(screen.getByRole('radio', { name: 'API token' }));
    type('Email', EMAIL);
    type('API token', TOKEN.slice(0, 20) + 'X' + TOKEN.slice(21));
    const result = screen.getByTestId('compare-result');
    expect(result.textContent).toMatch(/^DIFFERENT/);
    const difference = within(result).getByRole('listitem');
    expect(difference.dataset.part).toBe('secret');
    expect(difference.textContent).toContain('API token');
    expect(difference.textContent).toContain('first differ at character 21');
    expect(result.textContent).not.toContain(TOKEN.slice(10));
  });

  it('points at the email when only the email differs', () => {
    render(<Panel headers={sent} />);
    fireEvent.click(screen.getByRole('radio', { name: 'API token' }));
    type('Email', 'jane@example.com');
    type('API token', TOKEN);
    expect(within(screen.getByTestId('compare-result')).getByRole('listitem').dataset.part).toBe('email');
  });

  it('asks for the missing fields before comparing', () => {
    render(<Panel headers={sent} />);
    fireEvent.click(screen.getByRole('radio', { name: 'Password' }));
    type('Email', EMAIL);
    expect(screen.queryByTestId('compare-result')).toBeNull();
    expect(screen.getByText('Fill in the fields to compare.')).toBeTruthy();
  });

  it('shows the correct header and snippets in each language', () => {
    render(<Panel headers={null} initial={{ kind: 'api-token', email: EMAIL, token: TOKEN }} />);
    expect(screen.getByTestId('canonical-header').textContent).toBe(
      'Authorization: Basic amRvZUBleGFtcGxlLmNvbS90b2tlbjo2d2lJQldiR2tCTW8xbVJETXVWd2t3MUVQc05rZVVqOTVQSXoyYWt2',
    );
    const tabs = screen.getAllByRole('tab').map((t) => t.textContent);
    expect(tabs).toEqual(expect.arrayContaining(['curl', 'PowerShell', 'Python', 'Node']));
    fireEvent.click(screen.getByRole('tab', { name: 'PowerShell' }));
    expect(screen.getByRole('tab', { name: 'PowerShell' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').textContent).toMatch(/UTF8/);
  });

  it('compares an API key header by its own name', () => {
    render(<Panel headers={[['X-Api-Key', 'k-123']]} />);
    fireEvent.click(screen.getByRole('radio', { name: 'API key header' }));
    type('Header name', 'x-api-key');
    type('Header value', 'k-123');
    expect(screen.getByTestId('compare-result').textContent).toMatch(/^MATCH/);
  });
});

describe('expected credentials store', () => {
  it('keeps them per bin in sessionStorage, where a new page finds them again', () => {
    const first = createExpectedStore(sessionStorage);
    first.set('demo', { kind: 'oauth', token: 'abc' });
    expect(first.forKey('other').value).toBeNull();
    const reloaded = createExpectedStore(sessionStorage);
    expect(reloaded.forKey('demo').value).toEqual({ kind: 'oauth', token: 'abc' });
    reloaded.set('demo', null);
    expect(createExpectedStore(sessionStorage).forKey('demo').value).toBeNull();
  });

  it('ignores stored data it does not understand', () => {
    sessionStorage.setItem('authbin:expected:demo', '{"kind":"nonsense"}');
    sessionStorage.setItem('authbin:expected:broken', '{');
    const store = createExpectedStore(sessionStorage);
    expect(store.forKey('demo').value).toBeNull();
    expect(store.forKey('broken').value).toBeNull();
  });
});
