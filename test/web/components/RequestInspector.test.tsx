import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { RequestInspector } from '../../../web/components/RequestInspector.tsx';
import { renderAt, startHarness, type Harness } from '../harness.tsx';

let h: Harness;
beforeEach(() => {
  h = startHarness();
});
afterEach(() => h.close());

async function inspect(path: string, init?: RequestInit) {
  const id = await h.capture(path, init);
  const detail = await h.store.client.getRequest(id);
  const view = renderAt(h.store, '/', <RequestInspector request={detail} expected={null} onExpectedChange={() => {}} onDelete={() => {}} />);
  return { detail, view };
}

const XSS = `<img src=x onerror="globalThis.pwned=1"><script>globalThis.pwned=2</script>`;

describe('request inspector', () => {
  it('shows the full URL, the query as a table and the headers as sent', async () => {
    await inspect('/b/demo/hook/deep?ticket=35436&tag=a&tag=b', {
      method: 'POST',
      headers: [
        ['X-Zendesk-Webhook-Id', '01F1'],
        ['Content-Type', 'application/json'],
      ],
      body: '{}',
    });
    expect(screen.getByTestId('request-url').textContent).toBe('http://authbin.test/b/demo/hook/deep?ticket=35436&tag=a&tag=b');
    const query = screen.getByRole('table', { name: 'Query parameters' });
    expect(within(query).getAllByRole('row').map((r) => r.textContent?.replace(/Copy$/, ''))).toEqual(['ParameterValue', 'ticket35436', 'taga', 'tagb']);
    const headers = screen.getByRole('table', { name: 'Headers' });
    expect(within(headers).getByText('X-Zendesk-Webhook-Id')).toBeTruthy();
  });

  it('says how the request was answered on a bin without rules', async () => {
    await inspect('/b/demo/plain', { method: 'POST', body: 'hi' });
    expect(screen.getByTestId('answer-note').textContent).toBe("Answered 200 with the bin's response");
  });

  it('decodes the Authorization header with the secret masked until revealed', async () => {
    const token = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
    await inspect('/b/demo', { headers: { Authorization: 'Basic ' + btoa(`jdoe@example.com/token:${token}`) } });
    expect(screen.getByText('API token (email/token:token)')).toBeTruthy();
    expect(screen.getByTestId('auth-user').textContent).toBe('jdoe@example.com');
    expect(screen.getByText('••••••••2akv')).toBeTruthy();
    expect(document.body.textContent).not.toContain(token);
    fireEvent.click(screen.getByRole('button', { name: 'Reveal API token' }));
    expect(screen.getByText(token)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Hide API token' }));
    expect(document.body.textContent).not.toContain(token);
  });

  it('lists findings errors first, each with its fix', async () => {
    // An expired JWT (error) sent with a token in the query string as well.
    const jwt = [{ alg: 'HS256', typ: 'JWT' }, { sub: 'u1', exp: 1516249022 }].map((part) => btoa(JSON.stringify(part)).replace(/=+$/, '')).join('.') + '.sig';
    await inspect('/b/demo?api_token=abc', { headers: { Authorization: `Bearer ${jwt}` } });
    const findings = within(screen.getByRole('list', { name: 'Findings' })).getAllByRole('listitem');
    const severities = findings.map((f) => f.className.replace('finding finding-', ''));
    expect(severities[0]).toBe('error');
    expect([...severities].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b))).toEqual(severities);
    expect(findings.some((f) => f.dataset.code === 'jwt-expired')).toBe(true);
    expect(screen.getByRole('region', { name: 'Authorization' }).textContent).toMatch(/expired .*ago/);
    expect(screen.getByLabelText('JWT payload').textContent).toContain('"sub": "u1"');
  });

  it('pretty-prints a JSON body with colours and can show it raw', async () => {
    await inspect('/b/demo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":[1,true]}' });
    const pretty = screen.getByLabelText('Body (JSON)');
    expect(pretty.textContent).toBe('{\n  "a": [\n    1,\n    true\n  ]\n}');
    expect(pretty.querySelector('.tok-key')?.textContent).toBe('"a"');
    fireEvent.click(screen.getByRole('button', { name: 'Raw' }));
    expect(screen.getByLabelText('Body text').textContent).toBe('{"a":[1,true]}');
  });

  it('shows a form body as a table and a binary body as a hex dump', async () => {
    await inspect('/b/demo', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'name=J%C3%BCrgen&x=1' });
    expect(within(screen.getByRole('table', { name: 'Form fields' })).getByText('Jürgen')).toBeTruthy();
    await inspect('/b/demo', { method: 'POST', body: Uint8Array.of(0, 1, 0xff, 0x41) });
    expect(screen.getByLabelText('Hex dump').textContent).toContain('00000000  00 01 ff 41');
  });

  it('collapses a big body behind a button, with a download link', async () => {
    const big = JSON.stringify({ items: Array.from({ length: 5000 }, (_, i) => ({ id: i, name: `item ${i}` })) });
    const { detail } = await inspect('/b/demo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big });
    expect(screen.getByText(/This body is \d+ KB/)).toBeTruthy();
    expect(screen.queryByLabelText('Body (JSON)')).toBeNull();
    expect(screen.getByRole('link', { name: 'Download' }).getAttribute('href')).toBe(`/api/requests/${detail.id}/body`);
    fireEvent.click(screen.getByRole('button', { name: 'Show it anyway' }));
    expect(screen.getByLabelText('Body (JSON)').textContent).toContain('"name": "item 4999"');
  });

  it('shows hostile text from a request literally and never as markup', async () => {
    await inspect(`/b/demo/${encodeURIComponent(XSS)}?q=${encodeURIComponent(XSS)}`, {
      method: 'POST',
      headers: { 'X-Evil': XSS, 'Content-Type': 'text/html' },
      body: XSS,
    });
    const inspector = screen.getByRole('article', { name: 'Selected request' });
    expect(inspector.querySelector('script, img, [onerror]')).toBeNull();
    expect(within(screen.getByRole('table', { name: 'Headers' })).getByText(XSS)).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Query parameters' })).getByText(XSS)).toBeTruthy();
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it('copies the whole request as curl, fetch, Python or HTTPie code aimed at the capture URL', async () => {
    await inspect('/b/demo/hook', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' });
    const copied = async (name: string) => {
      fireEvent.click(screen.getByRole('button', { name }));
      let text = '';
      await waitFor(async () => {
        text = await navigator.clipboard.readText();
        expect(screen.getByRole('button', { name: `${name}: copied` })).toBeTruthy();
      });
      return text;
    };
    const curl = await copied('Copy as curl command');
    expect(curl).toMatch(/^curl 'http:\/\/authbin\.test\/b\/demo\/hook'/);
    expect(curl).toContain(`-H 'Content-Type: application/json'`);
    expect(curl).toContain(`--data-binary '{"a":1}'`);
    expect(await copied('Copy as JavaScript fetch call')).toContain('await fetch("http://authbin.test/b/demo/hook"');
    expect(await copied('Copy as Python requests code')).toMatch(/requests\.request\(\n\s+"POST",\n\s+"http:\/\/authbin\.test\/b\/demo\/hook"/);
    expect(await copied('Copy as HTTPie command')).toMatch(/^http --raw '\{"a":1\}' POST 'http:\/\/authbin\.test\/b\/demo\/hook'/m);
  });
});
