import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/preact';
import { DecodePage } from '../../../web/pages/Decode/index.tsx';
import { createAppState } from '../../../web/state/context.ts';
import { renderAt } from '../harness.tsx';

// UTF-16LE bytes of "me@example.com/token:abc", as PowerShell's [Text.Encoding]::Unicode gives them.
const utf16 = btoa(String.fromCharCode(...[...'me@example.com/token:abc'].flatMap((c) => [c.charCodeAt(0), 0])));

beforeEach(() => sessionStorage.clear());
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** The decode page on its own; the fetch spy shows that what is pasted is never sent. */
function renderDecode() {
  const fetchSpy = vi.spyOn(globalThis, 'fetch');
  renderAt(createAppState({ storage: sessionStorage }), '/decode', <DecodePage />);
  return fetchSpy;
}

const paste = (text: string) => fireEvent.input(screen.getByRole('textbox', { name: 'Authorization header or raw HTTP request' }), { target: { value: text } });

describe('decode page', () => {
  it('finds the UTF-16 mistake in a PowerShell header, without sending it anywhere', () => {
    const fetchSpy = renderDecode();
    paste(`Authorization: Basic ${utf16}`);
    const findings = within(screen.getByRole('list', { name: 'Findings' })).getAllByRole('listitem');
    expect(findings[0]!.dataset.code).toBe('utf16');
    expect(screen.getByText('UTF-16LE')).toBeTruthy();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('reads a value wrapped over two lines as one Authorization value, as the CLI does, and names the line break', () => {
    renderDecode();
    const base64 = btoa('me@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv');
    paste(`Basic ${base64.slice(0, 40)}\n${base64.slice(40)}\n`);
    expect(screen.getByText('Read as the value of an Authorization header.')).toBeTruthy();
    const findings = within(screen.getByRole('list', { name: 'Findings' })).getAllByRole('listitem');
    expect(findings.map((finding) => finding.dataset.code)).toContain('whitespace');
  });

  it('reads a whole raw HTTP request and compares it with what was expected', () => {
    const fetchSpy = renderDecode();
    const header = 'Basic ' + btoa('me@example.com:hunter2');
    paste(`GET /api/v2/users/me.json HTTP/1.1\nHost: x.zendesk.com\nAuthorization: ${header}\n\n`);
    expect(screen.getByText('Read as a raw HTTP request with 2 headers.')).toBeTruthy();
    expect(screen.getByText('Password (email:password)')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: 'Password' }));
    fireEvent.input(screen.getByRole('textbox', { name: 'Email' }), { target: { value: 'me@example.com' } });
    fireEvent.input(screen.getByRole('textbox', { name: 'Password' }), { target: { value: 'hunter2' } });
    expect(screen.getByTestId('compare-result').textContent).toMatch(/^MATCH/);
    expect(JSON.parse(sessionStorage.getItem('authbin:expected:decode')!)).toEqual({ kind: 'password', email: 'me@example.com', password: 'hunter2' });
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
