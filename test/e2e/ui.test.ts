import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { sendRaw } from '../helpers/raw-http.ts';

const EMAIL = 'jdoe@example.com';
const TOKEN = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
const basicApiToken = (email: string, token: string) => 'Basic ' + Buffer.from(`${email}/token:${token}`).toString('base64');

const suite = browserSuite('ui-last');
const openPage = () => suite.openPage();

async function send(bin: string, path: string, init: RequestInit = {}): Promise<string> {
  const response = await fetch(`${suite.server.url}/b/${bin}${path}`, init);
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

const rows = (p: Page) => p.getByRole('list', { name: 'Requests' }).getByRole('listitem');

describe('authbin in a real browser', () => {
  it('creates a bin and shows requests live, newest first, as they are captured', async () => {
    const page = await openPage();
    await page.goto(suite.server.url);
    await suite.browser.screenshot(page, 'home-empty');
    await page.getByRole('button', { name: 'New bin' }).click();
    await page.waitForURL(/\/bins\/[A-Za-z0-9_-]+$/);
    const bin = page.url().split('/bins/')[1]!;
    await expect(page.getByTestId('capture-url').textContent()).resolves.toBe(`${suite.server.url}/b/${bin}`);
    await page.getByText('Waiting for the first request').waitFor();
    await page.getByText('live', { exact: true }).waitFor();
    await suite.browser.screenshot(page, 'bin-empty');

    // Record, inside the page, when the first row appears.
    await page.evaluate(() => {
      const observer = new MutationObserver(() => {
        if (document.querySelector('[data-request-id]')) {
          (window as unknown as { firstRowAt: number }).firstRowAt = Date.now();
          observer.disconnect();
        }
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
    await send(bin, '/hook?ticket=1', { method: 'POST', headers: { Authorization: basicApiToken(EMAIL, TOKEN), 'Content-Type': 'application/json' }, body: '{"ticket":{"id":1}}' });
    const capturedAt = Date.now();
    await rows(page).first().waitFor();
    const firstRowAt = await page.evaluate(() => (window as unknown as { firstRowAt: number }).firstRowAt);
    // Measured from the capture's answer, which comes once the request is committed.
    expect(firstRowAt - capturedAt).toBeLessThan(200);

    await send(bin, '/second', { method: 'PUT' });
    await expect.poll(() => rows(page).count()).toBe(2);
    await expect(rows(page).first().textContent()).resolves.toContain('/second');
    await expect(rows(page).nth(1).textContent()).resolves.toContain('Basic · api-token · jdoe@example.com');
    await expect(page.getByText('2 requests').count()).resolves.toBe(1);
  });

  it('opens a request, decodes its header, and moves through the list with the arrow keys', async () => {
    const older = await send('inspect', '/tickets', { method: 'POST', headers: { Authorization: basicApiToken(EMAIL, TOKEN), 'Content-Type': 'application/json' }, body: '{"a":[1,2]}' });
    const newer = await send('inspect', '/other', { headers: { Authorization: 'Bearer some-oauth-token-1234' } });
    const page = await openPage();
    await page.goto(`${suite.server.url}/bins/inspect`);
    await rows(page).nth(1).getByRole('link').click();
    await page.waitForURL(`${suite.server.url}/bins/inspect/requests/${older}`);
    await expect(page.getByTestId('auth-user').textContent()).resolves.toBe(EMAIL);
    await expect(page.getByText('API token (email/token:token)').count()).resolves.toBe(1);
    await expect(page.getByText('••••••••2akv').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Reveal API token' }).click();
    await page.getByText(TOKEN, { exact: true }).waitFor();
    await expect(page.getByLabel('Body (JSON)').textContent()).resolves.toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    await suite.browser.screenshot(page, 'request-inspector');

    await page.keyboard.press('ArrowUp');
    await page.waitForURL(`${suite.server.url}/bins/inspect/requests/${newer}`);
    await page.getByText('Bearer', { exact: true }).first().waitFor();
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(`${suite.server.url}/bins/inspect/requests/${older}`);

    // The URL is the view: reloading it shows the same request.
    await page.reload();
    await expect(page.getByTestId('auth-user').textContent()).resolves.toBe(EMAIL);
  });

  it('marks a request the HTTP parser refused in the list, and shows why and what arrived in the inspector', async () => {
    // What curl sends for -H "Authorization: Basic $(… | base64)" once GNU base64 has wrapped a long credential.
    const wrapped = Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64').replace(/^(.{76})/, '$1\n');
    const answer = await sendRaw(suite.server.url, `GET /b/refused/api/v2/users/me.json HTTP/1.1\r\nHost: zendesk.test\r\nAuthorization: Basic ${wrapped}\r\n\r\n`);
    expect(answer.status).toBe(400);
    const id = /Stored as request (\d+) in bin refused/.exec(answer.body)![1]!;
    const page = await openPage();
    await page.goto(`${suite.server.url}/bins/refused`);
    // The list arrives after the page: wait for it, as for the rows above.
    await expect.poll(() => rows(page).first().getByText('Refused', { exact: true }).count()).toBe(1);
    await rows(page).first().getByRole('link').click();
    await page.waitForURL(`${suite.server.url}/bins/refused/requests/${id}`);
    const banner = page.getByTestId('refused-banner');
    await expect(banner.getByRole('heading').textContent()).resolves.toBe('Refused by the HTTP parser HPE_CR_EXPECTED');
    await expect(banner.textContent()).resolves.toContain('the Authorization header contains a line break where base64 wrapped it at 76 columns');
    // The lone line feed shows where base64 wrapped the value; the other lines end in \r\n.
    const received = await banner.getByLabel('The request as received').textContent();
    expect(received).toContain(`Authorization: Basic ${wrapped.split('\n')[0]}\\n`);
    expect(received).toContain('Host: zendesk.test\\r\\n');
    await expect(page.getByRole('button', { name: 'Replay…' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'curl' }).count()).resolves.toBe(0);
    await page.getByText('line break', { exact: false }).first().waitFor();
    await suite.browser.screenshot(page, 'refused-request');
  });

  it('compares with the expected API token: MATCH, then which part differs after a one-character change', async () => {
    const id = await send('compare', '/hook', { method: 'POST', headers: { Authorization: basicApiToken(EMAIL, TOKEN) }, body: '{}' });
    const page = await openPage();
    await page.goto(`${suite.server.url}/bins/compare/requests/${id}`);
    await page.getByRole('radio', { name: 'API token' }).check();
    await page.getByRole('textbox', { name: 'Email' }).fill(EMAIL);
    await page.getByRole('textbox', { name: 'API token' }).fill(TOKEN);
    const result = page.getByTestId('compare-result');
    await expect.poll(() => result.textContent()).toMatch(/^MATCH/);
    await expect.poll(() => rows(page).first().textContent()).toContain('✓');
    await suite.browser.screenshot(page, 'compare-match');

    await page.getByRole('textbox', { name: 'API token' }).fill(TOKEN.slice(0, 30) + 'Q' + TOKEN.slice(31));
    await expect.poll(() => result.textContent()).toMatch(/^DIFFERENT/);
    const difference = result.getByRole('listitem');
    await expect(difference.getAttribute('data-part')).resolves.toBe('secret');
    await expect(difference.textContent()).resolves.toMatch(/API token.*first differ at character 31/);
    await expect.poll(() => rows(page).first().textContent()).toContain('✗');
    await suite.browser.screenshot(page, 'compare-different');

    // Expected credentials stay in this tab's sessionStorage, for this bin only, and never reach the suite.server.
    await page.reload();
    await expect(page.getByRole('textbox', { name: 'Email' }).inputValue()).resolves.toBe(EMAIL);
    const stored = await page.evaluate(() => sessionStorage.getItem('authbin:expected:compare'));
    expect(JSON.parse(stored!)).toMatchObject({ kind: 'api-token', email: EMAIL });
  });

  it('finds the UTF-16 PowerShell mistake on the decode page', async () => {
    const utf16 = Buffer.from(`${EMAIL}/token:${TOKEN}`, 'utf16le').toString('base64');
    const page = await openPage();
    await page.goto(`${suite.server.url}/decode`);
    await page.getByRole('textbox', { name: 'Authorization header or raw HTTP request' }).fill(`Authorization: Basic ${utf16}`);
    const first = page.getByRole('list', { name: 'Findings' }).getByRole('listitem').first();
    await expect(first.getAttribute('data-code')).resolves.toBe('utf16');
    await expect(first.textContent()).resolves.toMatch(/UTF-16/);
    await suite.browser.screenshot(page, 'decode-utf16');
  });

  it('keeps the page small and fast on a bin with many requests', async () => {
    await Promise.all(Array.from({ length: 240 }, (_, i) => send('busy', `/r${i}`, { method: 'POST', body: String(i) })));
    const page = await openPage();
    await page.goto(`${suite.server.url}/bins/busy`);
    await page.getByText('240 requests').waitFor();
    // The count can show before the first page of rows has rendered: wait for the rows themselves.
    await expect.poll(() => rows(page).count()).toBeGreaterThan(5);
    const rendered = await rows(page).count();
    expect(rendered).toBeLessThan(60);
    // Scrolling to the end loads the next older page, not everything.
    await page.locator('.request-list').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect.poll(() => page.getByRole('list', { name: 'Requests' }).evaluate((el) => el.style.height)).toBe(`${100 * 58 + 48}px`);
    expect(await rows(page).count()).toBeLessThan(60);

    // New requests arriving above do not move the rows being read.
    const list = page.locator('.request-list');
    await list.evaluate((el) => el.scrollTo(0, 58 * 30));
    const topRowAt = () =>
      page.evaluate(() => {
        const box = document.querySelector('.request-list')!.getBoundingClientRect();
        const row = [...document.querySelectorAll<HTMLElement>('[data-request-id]')].find((r) => r.getBoundingClientRect().top >= box.top);
        return { id: row?.dataset.requestId, top: row?.getBoundingClientRect().top };
      });
    const before = await topRowAt();
    const topOf = (id: string) => page.evaluate((rowId) => document.querySelector(`[data-request-id="${rowId}"]`)?.getBoundingClientRect().top, id);
    for (let i = 0; i < 3; i++) await send('busy', `/late${i}`);
    await page.getByText('243 requests').waitFor();
    // The row being read stays where it was (within a sub-pixel of rounding, which no one sees).
    expect(Math.abs((await topOf(before.id!))! - before.top!)).toBeLessThan(1);
  });

  it('scrolls the list to the request a link opens, once the list has loaded', async () => {
    for (let i = 0; i < 40; i++) await send('deep', `/r${i}`);
    const page = await openPage();
    const oldest = (await (await fetch(`${suite.server.url}/api/bins/deep/requests?limit=50`)).json()) as { requests: { id: string; path: string }[] };
    const target = oldest.requests.find((r) => r.path === '/r2')!;
    await page.goto(`${suite.server.url}/bins/deep/requests/${target.id}`);
    const selected = page.locator('.request-row[aria-current="true"]');
    await selected.waitFor();
    const [list, row] = await Promise.all([page.locator('.request-list').boundingBox(), selected.boundingBox()]);
    expect(row!.y).toBeGreaterThanOrEqual(list!.y);
    expect(row!.y + row!.height).toBeLessThanOrEqual(list!.y + list!.height);
    await expect(selected.textContent()).resolves.toContain('/r2');
  });

  it('looks right in the dark theme and in a narrow split-screen window', async () => {
    await send('looks', '/hook', { method: 'POST', headers: { Authorization: basicApiToken(EMAIL, TOKEN), 'Content-Type': 'application/json' }, body: '{"ok":true}' });
    const dark = await launchBrowser({ colorScheme: 'dark', viewport: { width: 720, height: 900 } });
    try {
      const darkPage = await dark.newPage();
      await darkPage.goto(`${suite.server.url}/bins/looks`);
      await rows(darkPage).first().getByRole('link').click();
      await darkPage.getByTestId('auth-user').waitFor();
      const background = await darkPage.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe('rgb(15, 17, 23)');
      const overflow = await darkPage.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBe(0);
      await dark.screenshot(darkPage, 'bin-dark-narrow');
      expect(dark.problems).toEqual([]);
    } finally {
      await dark.close();
    }
  });
});
