import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

// Each payload would set window.__pwned if it ever ran as markup or script.
const SCRIPT = '<script>window.__pwned = "script"</script>';
const IMG = '<img src=x onerror="window.__pwned = \'img\'">';

/** Sends a request with a raw path (fetch would percent-encode the "<"), as a hostile client can. */
function sendRaw(url: string, path: string, headers: Record<string, string>, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = httpRequest({ host: target.hostname, port: target.port, method: 'POST', path, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve((JSON.parse(text) as { id: string }).id) : reject(new Error(`${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('hostile captured data', () => {
  let server: RunningServer;
  let browser: TestBrowser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows <script> and <img onerror> payloads from headers, path, query and body as text and never runs them', async () => {
    const id = await sendRaw(
      server.url,
      `/b/xss/<script>alert(1)</script>?q=${IMG.replace(/ /g, '%20')}`,
      { 'X-Evil': SCRIPT, 'X-Img': IMG, 'Content-Type': 'text/html' },
      `${SCRIPT}${IMG}`,
    );
    await sendRaw(server.url, '/b/xss/json', { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`${IMG}:${SCRIPT}`).toString('base64')}` }, JSON.stringify({ [SCRIPT]: IMG }));

    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    await page.goto(`${server.url}/bins/xss`);
    await page.getByRole('list', { name: 'Requests' }).getByRole('listitem').nth(1).waitFor();
    await page.getByText('/<script>alert(1)</script>', { exact: false }).first().waitFor();

    await page.goto(`${server.url}/bins/xss/requests/${id}`);
    const headers = page.getByRole('table', { name: 'Headers' });
    await headers.getByText(SCRIPT, { exact: true }).waitFor();
    await headers.getByText(IMG, { exact: true }).waitFor();
    await page.getByRole('table', { name: 'Query parameters' }).getByText(IMG, { exact: true }).waitFor();
    await expect(page.getByLabel('Body text').textContent()).resolves.toBe(`${SCRIPT}${IMG}`);
    await expect(page.getByTestId('request-url').textContent()).resolves.toContain('/<script>alert(1)</script>');
    await browser.screenshot(page, 'xss-inspector');

    // The decoded credentials and a JSON body with hostile keys, too.
    await page.getByRole('list', { name: 'Requests' }).getByRole('listitem').first().getByRole('link').click();
    await expect(page.getByTestId('auth-user').textContent()).resolves.toBe(IMG);
    await page.getByRole('button', { name: 'Reveal password' }).click();
    await page.getByText(SCRIPT, { exact: true }).first().waitFor();
    await expect(page.getByLabel('Body (JSON)').textContent()).resolves.toContain(JSON.stringify(SCRIPT));

    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: string }).__pwned,
      scripts: [...document.scripts].map((s) => s.src.replace(location.origin, '')),
      images: document.querySelectorAll('img').length,
      handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
    }));
    expect(state.pwned).toBeUndefined();
    expect(state.scripts).toHaveLength(1);
    expect(state.scripts[0]).toMatch(/^\/assets\/index-[\w-]+\.js$/);
    expect(state.images).toBe(0);
    expect(state.handlers).toBe(0);
    expect(dialogs).toEqual([]);
    expect(browser.problems).toEqual([]);
    await page.close();
  });
});

describe('a token-protected authbin', () => {
  const TOKEN = 'e2e-access-token-7f3a9c';
  let server: RunningServer;
  let browser: TestBrowser;
  beforeAll(async () => {
    server = await startServer({ env: { AUTHBIN_TOKEN: TOKEN } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks for the token, then comes back to the page that was asked for', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/bins/private`);
    await page.waitForURL(`${server.url}/login?next=%2Fbins%2Fprivate`);
    await browser.screenshot(page, 'login');

    await page.getByLabel('Access token').fill('not-the-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();

    await page.getByLabel('Access token').fill(TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${server.url}/bins/private`);
    await page.getByText('Waiting for the first request').waitFor();
    await page.getByText('live', { exact: true }).waitFor();

    // Capture stays open without the token, and the logged-in page sees the request arrive.
    const sent = await fetch(`${server.url}/b/private/hook`, { method: 'POST', body: 'hi' });
    expect(sent.status).toBe(200);
    await page.getByRole('list', { name: 'Requests' }).getByRole('listitem').first().waitFor();

    // The logged-in browser itself sends to a bin: the login cookie (scoped to /api) does not go with it.
    const fromBrowser = await page.evaluate(async () => ((await (await fetch('/b/private/from-browser', { method: 'POST', credentials: 'include' })).json()) as { id: string }).id);
    const stored = (await (await fetch(`${server.url}/api/requests/${fromBrowser}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as { headers: [string, string][] };
    expect(stored.headers.filter(([, value]) => value.includes('authbin_session'))).toEqual([]);

    // When the session ends, the next API call sends the user back to the login form.
    await browser.context.clearCookies();
    await page.getByRole('link', { name: 'Bins' }).click();
    await page.waitForURL(`${server.url}/login?next=%2F`);
    // The 401 is the expired session; the 404 is the bin, which exists only once it has received a request.
    expect(browser.problems.filter((p) => !/status of (401|404)/.test(p))).toEqual([]);
    await page.close();
  });

  it('logs out from the header', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Access token').fill(TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login\?next=/);
    await page.close();
  });
});
