import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { RequestInspector } from '../../../web/components/RequestInspector.tsx';
import type { Expected } from '../../../shared/auth/types.ts';
import { headerOf, startRecordingServer } from '../../helpers/recording-server.ts';
import { renderAt, startHarness, type Harness } from '../harness.tsx';

const TOKEN = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
const basic = (user: string, secret: string) => 'Basic ' + btoa(`${user}:${secret}`);

let h: Harness;
beforeEach(() => {
  h = startHarness();
});
afterEach(() => h.close());

async function openReplay(init: RequestInit, expected: Expected | null = null) {
  const id = await h.capture('/b/demo/hook?x=1', { method: 'POST', ...init });
  const detail = await h.store.client.getRequest(id);
  renderAt(h.store, '/', <RequestInspector request={detail} expected={expected} onExpectedChange={() => {}} onDelete={() => {}} />);
  fireEvent.click(screen.getByRole('button', { name: 'Replay…' }));
  return screen.getByRole('dialog', { name: 'Replay request' });
}

const rowsOf = (dialog: HTMLElement) =>
  within(dialog)
    .getAllByRole('textbox', { name: /^Header \d+ name$/ })
    .map((name, i) => [(name as HTMLInputElement).value, (within(dialog).getByRole('textbox', { name: `Header ${i + 1} value` }) as HTMLInputElement).value]);

/** A receiver on loopback that records what it gets and answers 201 with JSON. */
const startTarget = () => startRecordingServer((res) => res.writeHead(201, { 'Content-Type': 'application/json', 'X-Receiver': 'test' }).end('{"accepted":true}'));

describe('replay editor', () => {
  it('opens prefilled from the request: method, headers in order, body; the target empty', async () => {
    const dialog = await openReplay({ headers: [['Authorization', basic('me@example.com/token', 'wrong')], ['Content-Type', 'application/json'], ['X-Tag', 'a']], body: '{"a":1}' });
    expect((within(dialog).getByRole('textbox', { name: 'Method' }) as HTMLInputElement).value).toBe('POST');
    expect((within(dialog).getByRole('textbox', { name: 'Target URL' }) as HTMLInputElement).value).toBe('');
    const rows = rowsOf(dialog);
    expect(rows.slice(0, 3)).toEqual([
      ['Authorization', basic('me@example.com/token', 'wrong')],
      ['Content-Type', 'application/json'],
      ['X-Tag', 'a'],
    ]);
    expect(rows.map(([name]) => name!.toLowerCase())).not.toContain('content-length');
    expect((within(dialog).getByRole('textbox', { name: 'Body' }) as HTMLTextAreaElement).value).toBe('{"a":1}');
    expect(within(dialog).getByText('Unchanged: the stored bytes are sent exactly.')).toBeTruthy();
  });

  it('says a binary body is sent unchanged', async () => {
    const dialog = await openReplay({ body: Uint8Array.of(0, 0xff, 1, 2) });
    expect(within(dialog).getByText('Body: binary, 4 B, unchanged.')).toBeTruthy();
    expect(within(dialog).queryByRole('textbox', { name: 'Body' })).toBeNull();
  });

  it('puts the corrected Authorization header from the compare panel in place of the one sent', async () => {
    const dialog = await openReplay({ headers: [['Authorization', basic('me@example.com', TOKEN)], ['X-Tag', 'a']] }, { kind: 'api-token', email: 'me@example.com', token: TOKEN });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Use the corrected Authorization header' }));
    expect(rowsOf(dialog).slice(0, 2)).toEqual([
      ['Authorization', basic('me@example.com/token', TOKEN)],
      ['X-Tag', 'a'],
    ]);
  });

  it('edits the header rows: add, change and remove', async () => {
    const dialog = await openReplay({ headers: [['X-One', '1'], ['X-Two', '2']] });
    const before = rowsOf(dialog).length;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove header 1 (X-One)' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add header' }));
    const last = rowsOf(dialog).length;
    fireEvent.input(within(dialog).getByRole('textbox', { name: `Header ${last} name` }), { target: { value: 'X-Three' } });
    fireEvent.input(within(dialog).getByRole('textbox', { name: `Header ${last} value` }), { target: { value: '3' } });
    const rows = rowsOf(dialog);
    expect(rows).toHaveLength(before);
    expect(rows[0]).toEqual(['X-Two', '2']);
    expect(rows.at(-1)).toEqual(['X-Three', '3']);
  });

  it('asks for a target before sending', async () => {
    const dialog = await openReplay({ body: 'x' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send' }));
    expect(within(dialog).getByRole('alert').textContent).toMatch(/^Give the URL to send the request to/);
    fireEvent.input(within(dialog).getByRole('textbox', { name: 'Target URL' }), { target: { value: 'localhost:3000' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send' }));
    expect(within(dialog).getByRole('alert').textContent).toMatch(/start it with http:\/\//);
  });

  it('sends the edited request to a loopback receiver and shows its status, headers, body and time', async () => {
    const target = await startTarget();
    try {
      const dialog = await openReplay({ headers: [['Authorization', basic('me@example.com', TOKEN)], ['Content-Type', 'application/json']], body: '{"a":1}' }, { kind: 'api-token', email: 'me@example.com', token: TOKEN });
      fireEvent.input(within(dialog).getByRole('textbox', { name: 'Target URL' }), { target: { value: `${target.url}/webhook` } });
      fireEvent.click(within(dialog).getByRole('button', { name: 'Use the corrected Authorization header' }));
      fireEvent.input(within(dialog).getByRole('textbox', { name: 'Body' }), { target: { value: '{"a":2}' } });
      fireEvent.click(within(dialog).getByRole('button', { name: 'Send' }));
      expect((await within(dialog).findByTestId('replay-status')).textContent).toBe('201');
      expect(within(within(dialog).getByRole('table', { name: 'Response headers' })).getByText('test')).toBeTruthy();
      expect(within(dialog).getByText(/^in \d+ ms$/)).toBeTruthy();
      expect(target.received).toHaveLength(1);
      expect(target.received[0]).toMatchObject({ method: 'POST', url: '/webhook' });
      expect(target.received[0]!.body.toString()).toBe('{"a":2}');
      expect(headerOf(target.received[0]!, 'authorization')).toBe(basic('me@example.com/token', TOKEN));
    } finally {
      await target.close();
    }
  });

  it('names AUTHBIN_REPLAY_ALLOW when the target is not allowed', async () => {
    const dialog = await openReplay({ body: 'x' });
    // TEST-NET-1: never loopback, so never allowed by default.
    fireEvent.input(within(dialog).getByRole('textbox', { name: 'Target URL' }), { target: { value: 'http://192.0.2.1/hook' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(within(dialog).getByRole('alert').textContent).toMatch(/AUTHBIN_REPLAY_ALLOW/));
  });
});
