import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { ZENDESK_TEST_SECRET } from '../../../shared/signatures/index.ts';
import { createApiClient } from '../../../web/api/client.ts';
import { RequestInspector } from '../../../web/components/RequestInspector.tsx';
import { createAppState, type AppState } from '../../../web/state/context.ts';
import { renderAt, startHarness, type Harness } from '../harness.tsx';

const SECRET = 'zendesk-signing-secret-1234567890';
const TIMESTAMP = '2024-05-01T12:00:00Z';
const BODY = '{"ticket": {"id": 35436}}';

let h: Harness;
let store: AppState;
/** Every API call the page makes, to show that no secret ever leaves the browser. */
let sent: string[];
beforeEach(() => {
  h = startHarness();
  sent = [];
  const client = createApiClient({
    fetch: async (input, init) => {
      sent.push(`${init?.method ?? 'GET'} ${input} ${typeof init?.body === 'string' ? init.body : ''}`);
      return h.server.app.request(input, init);
    },
  });
  store = createAppState({ client, storage: sessionStorage, origin: 'http://authbin.test' });
});
afterEach(() => h.close());

const zendeskHeaders = (key: string | Buffer, body = BODY) => ({
  'Content-Type': 'application/json',
  'X-Zendesk-Webhook-Signature': createHmac('sha256', key).update(TIMESTAMP + body).digest('base64'),
  'X-Zendesk-Webhook-Signature-Timestamp': TIMESTAMP,
});

async function inspect(init: RequestInit, path = '/b/demo/hook') {
  const id = await h.capture(path, { method: 'POST', ...init });
  const detail = await store.client.getRequest(id);
  renderAt(store, '/', <RequestInspector request={detail} expected={null} onExpectedChange={() => {}} onDelete={() => {}} />);
  return screen.getByRole('region', { name: 'Webhook signature' });
}

const secretBox = () => screen.getByLabelText('Signing secret') as HTMLInputElement;
const typeSecret = (secret: string) => fireEvent.input(secretBox(), { target: { value: secret } });
const verdict = () => screen.findByTestId('signature-verdict');

describe('signature panel', () => {
  it('lists the signature headers it detects, unverified until a secret is given', async () => {
    const panel = await inspect({ headers: zendeskHeaders(SECRET), body: BODY });
    const cards = within(within(panel).getByRole('list', { name: 'Signatures' })).getAllByRole('listitem').filter((el) => el.dataset.scheme);
    expect(cards).toHaveLength(1);
    const card = cards[0]!;
    expect(card.dataset.scheme).toBe('zendesk');
    expect(card.dataset.status).toBe('unverified');
    expect(within(card).getByText('X-Zendesk-Webhook-Signature')).toBeTruthy();
    expect(within(card).getByText('X-Zendesk-Webhook-Signature-Timestamp')).toBeTruthy();
    expect(within(card).getByTestId('signature-status').textContent).toContain('Not verified');
    // The body's JSON re-serialises differently: a receiver that signs the parsed body would fail.
    expect(within(card).getByRole('list', { name: 'Zendesk signature findings' }).querySelector('[data-code="body-reserialised-differs"]')).toBeTruthy();
    expect(secretBox().type).toBe('password');
  });

  it('says ✓ Valid for the right secret, keeps it for the bin in this tab, and never sends it to the server', async () => {
    await inspect({ headers: zendeskHeaders(SECRET), body: BODY });
    typeSecret(SECRET);
    expect((await verdict()).textContent).toMatch(/^✓ Valid Zendesk signature/);
    await waitFor(() => expect(screen.getByTestId('signature-status').textContent).toContain('Valid'));
    expect(JSON.parse(sessionStorage.getItem('authbin:signature:demo')!)).toEqual({ secret: SECRET });
    expect(sent.some((call) => call.includes(SECRET) || call.includes('/verify'))).toBe(false);
  });

  it('says ✗ Invalid for a wrong secret, with the mismatch message and its fix', async () => {
    await inspect({ headers: zendeskHeaders(SECRET), body: BODY });
    typeSecret(SECRET.slice(0, -1) + 'X');
    await waitFor(async () => expect((await verdict()).textContent).toMatch(/^✗ Invalid/));
    const mismatch = await waitFor(() => document.querySelector('[data-code="signature-mismatch"]') as HTMLElement);
    expect(mismatch.textContent).toMatch(/doesn't match this secret/);
    expect(mismatch.querySelector('.finding-fix')?.textContent).toMatch(/Copy the signing secret again/);
  });

  it('offers Zendesk’s test secret in one click', async () => {
    await inspect({ headers: zendeskHeaders(ZENDESK_TEST_SECRET), body: BODY });
    fireEvent.click(screen.getByRole('button', { name: 'Use Zendesk test secret' }));
    expect(secretBox().value).toBe(ZENDESK_TEST_SECRET);
    expect((await verdict()).textContent).toMatch(/^✓ Valid/);
    expect(screen.queryByRole('button', { name: 'Use Zendesk test secret' })).toBeNull();
  });

  it('tells a receiver that decoded the base64-looking secret what it did', async () => {
    const secret = 'c2lnbmluZy1zZWNyZXQtZm9yLXRlc3Rz';
    await inspect({ headers: zendeskHeaders(Buffer.from(secret, 'base64')), body: BODY });
    typeSecret(secret);
    await waitFor(async () => expect((await verdict()).textContent).toMatch(/^✗ Invalid/));
    await waitFor(() => expect(document.querySelector('[data-code="secret-decoded-by-mistake"]')?.textContent).toMatch(/base64-decoded secret/));
  });

  it('lets the user pick the sender when two schemes share a header', async () => {
    const secret = 'intercom-client-secret';
    const signature = 'sha1=' + createHmac('sha1', secret).update(BODY).digest('hex');
    const panel = await inspect({ headers: { 'X-Hub-Signature': signature }, body: BODY });
    expect([...panel.querySelectorAll('[data-scheme]')].map((el) => (el as HTMLElement).dataset.scheme)).toEqual(['github', 'intercom']);
    const picker = screen.getByRole('combobox', { name: 'Sender' }) as HTMLSelectElement;
    fireEvent.change(picker, { target: { value: 'intercom' } });
    typeSecret(secret);
    expect((await verdict()).textContent).toMatch(/^✓ Valid Intercom signature/);
    await waitFor(() => expect([...panel.querySelectorAll('[data-scheme]')].map((el) => (el as HTMLElement).dataset.scheme)).toEqual(['intercom']));
    expect(JSON.parse(sessionStorage.getItem('authbin:signature:demo')!)).toEqual({ secret, scheme: 'intercom' });
  });

  it('verifies Twilio against the URL the sender called when the user gives it', async () => {
    const token = 'twilio-auth-token';
    const calledUrl = 'https://tunnel.example/b/demo/sms';
    const signature = createHmac('sha1', token).update(`${calledUrl}BodyhiTo+1555`).digest('base64');
    await inspect({ headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature }, body: 'To=%2B1555&Body=hi' }, '/b/demo/sms');
    typeSecret(token);
    await waitFor(async () => expect((await verdict()).textContent).toMatch(/^✗ Invalid/));
    const urlBox = screen.getByRole('textbox', { name: 'URL the sender called' }) as HTMLInputElement;
    expect(urlBox.placeholder).toMatch(/\/b\/demo\/sms$/);
    fireEvent.input(urlBox, { target: { value: calledUrl } });
    await waitFor(async () => expect((await verdict()).textContent).toMatch(/^✓ Valid Twilio signature/));
  });

  it('forgets the secret on request, and shows no panel for a request without signatures', async () => {
    await inspect({ headers: zendeskHeaders(SECRET), body: BODY });
    typeSecret(SECRET);
    await verdict();
    fireEvent.click(screen.getByRole('button', { name: 'Forget signing secret' }));
    expect(sessionStorage.getItem('authbin:signature:demo')).toBeNull();
    expect(secretBox().value).toBe('');
    const id = await h.capture('/b/other/plain', { method: 'POST', body: 'x' });
    renderAt(store, '/', <RequestInspector request={await store.client.getRequest(id)} expected={null} onExpectedChange={() => {}} onDelete={() => {}} />);
    expect(screen.getAllByRole('article', { name: 'Selected request' })).toHaveLength(2);
    expect(screen.getAllByRole('region', { name: 'Webhook signature' })).toHaveLength(1);
  });
});
