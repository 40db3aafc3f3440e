import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Bin, RequestDetail, RequestPage } from '../../shared/api.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const TOKEN = 'e2e-sandbox-token-4b81d2';

/**
 * A bin page that tries, as the logged-in user who opens it, to read the bin list, point another
 * bin's relay at itself and plant a bin; it writes what happened into the page and sends it to /b/loot.
 */
const EVIL_PAGE = `<!doctype html><title>evil</title><p id="out">waiting</p>
<script>
(async () => {
  const result = { origin: String(window.origin) };
  try { const r = await fetch('/api/bins', { credentials: 'include' }); result.read = r.status + ' ' + (await r.text()).slice(0, 300); } catch (e) { result.read = 'failed: ' + e.message; }
  try {
    const r = await fetch('/api/bins/victim', { method: 'PATCH', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ forwardTo: 'http://127.0.0.1:9/stolen' }) });
    result.patch = String(r.status);
  } catch (e) { result.patch = 'failed: ' + e.message; }
  try { const r = await fetch('/api/bins', { method: 'POST', credentials: 'include', body: '{"id":"planted"}' }); result.create = String(r.status); } catch (e) { result.create = 'failed: ' + e.message; }
  document.getElementById('out').textContent = JSON.stringify(result);
  await fetch('/b/loot', { method: 'POST', body: JSON.stringify(result) }).catch(() => {});
})();
</script>`;

describe('a bin response opened by a logged-in browser', () => {
  let server: RunningServer;
  let browser: TestBrowser;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { Authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers } });
  const setEvil = (response: object) => api('/api/bins/evil', { method: 'PATCH', body: JSON.stringify({ response }) });
  const requestsOf = async (bin: string) => ((await (await api(`/api/bins/${bin}/requests`)).json()) as RequestPage).requests;

  /** The bin page, opened as a user would, once its script (if it runs at all) had time to finish. */
  async function openEvil(page: Page): Promise<string> {
    await page.goto(`${server.url}/b/evil`);
    await page.waitForFunction(() => document.getElementById('out')?.textContent !== 'waiting', null, { timeout: 3_000 }).catch(() => {});
    return (await page.locator('#out').textContent()) ?? '';
  }

  async function expectAuthbinUntouched() {
    expect(((await (await api('/api/bins/victim')).json()) as Bin).forwardTo).toBeNull();
    expect((await api('/api/bins/planted')).status).toBe(404);
    // The navigation carried the login cookie; the stored capture does not.
    const [latest] = await requestsOf('evil');
    const detail = (await (await api(`/api/requests/${latest!.id}`)).json()) as RequestDetail;
    expect(JSON.stringify(detail.headers)).not.toContain('authbin_session');
  }

  beforeAll(async () => {
    server = await startServer({ env: { AUTHBIN_TOKEN: TOKEN } });
    browser = await launchBrowser();
    expect((await api('/api/bins', { method: 'POST', body: JSON.stringify({ id: 'victim' }) })).status).toBe(201);
    expect((await api('/api/bins', { method: 'POST', body: JSON.stringify({ id: 'evil' }) })).status).toBe(201);
    expect((await api('/api/bins', { method: 'POST', body: JSON.stringify({ id: 'loot' }) })).status).toBe(201);

    const page = await browser.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Access token').fill(TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('does not run its script at all', async () => {
    expect((await setEvil({ headers: { 'Content-Type': 'text/html' }, body: EVIL_PAGE })).status).toBe(200);
    const page = await browser.newPage();
    expect(await openEvil(page)).toBe('waiting');
    await browser.screenshot(page, 'bin-sandbox-no-scripts');
    expect(browser.problems.join('\n')).toMatch(/sandboxed and the 'allow-scripts' permission is not set/);
    await page.close();

    expect(await requestsOf('loot')).toEqual([]);
    await expectAuthbinUntouched();
  });

  it('with allowScripts, runs it in an origin of its own that cannot read or change authbin', async () => {
    expect((await setEvil({ headers: { 'Content-Type': 'text/html' }, body: EVIL_PAGE, allowScripts: true })).status).toBe(200);
    const page = await browser.newPage();
    const looted = api('/api/bins/loot/requests/next?timeout=10');
    const shown = JSON.parse(await openEvil(page)) as Record<string, string>;
    const sent = await looted;
    await browser.screenshot(page, 'bin-sandbox-scripts');
    await page.close();

    expect(shown.origin).toBe('null');
    expect(shown.read).toMatch(/^failed/);
    expect(shown.patch).toMatch(/^failed/);
    expect(shown.create).toMatch(/^failed/);
    // What it sent out says the same: no bin list reached it.
    expect(sent.status).toBe(200);
    const { body } = (await sent.json()) as RequestDetail;
    expect(JSON.parse(body.text!)).toEqual(shown);
    expect(body.text).not.toContain('victim');
    await expectAuthbinUntouched();
  });
});
