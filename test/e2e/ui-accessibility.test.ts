import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { AxeResults } from 'axe-core';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { sendRaw } from '../helpers/raw-http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const EMAIL = 'jdoe@example.com';
const TOKEN = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
const ACCESS_TOKEN = 'e2e-a11y-access-token-4b1d';
const basic = (userPass: string) => 'Basic ' + Buffer.from(userPass).toString('base64');

/** axe's serious and critical findings on the page as it is now, one line per element. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated by the DevTools protocol, so the page's Content-Security-Policy (no inline script) does not apply.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const results = (await page.evaluate(() => (window as unknown as { axe: { run(): Promise<unknown> } }).axe.run())) as AxeResults;
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}) at ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ') ?? v.help}`));
}

/** Checks the page in the light and the dark theme. */
async function expectAccessible(page: Page): Promise<void> {
  const found: Record<string, string[]> = {};
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    found[colorScheme] = await seriousViolations(page);
  }
  expect(found, page.url()).toEqual({ light: [], dark: [] });
}

describe('every page passes axe-core (no serious or critical violation), light and dark', () => {
  let server: RunningServer;
  let browser: TestBrowser;
  const ids: Record<string, string> = {};

  async function send(bin: string, path: string, init: RequestInit = {}): Promise<string> {
    const response = await fetch(`${server.url}/b/${bin}${path}`, init);
    expect(response.status).toBe(200);
    return ((await response.json()) as { id: string }).id;
  }

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    // Every method, so each method badge is checked; credentials that are right, odd, and missing.
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'DELETE', 'PATCH', 'PUT']) {
      expect((await fetch(`${server.url}/b/a11y/${method.toLowerCase()}`, { method })).status).toBe(200);
    }
    ids.echoed = await send('a11y', '/tickets.json', { method: 'POST', headers: { Authorization: basic(`${EMAIL}/token:${TOKEN}\n`) }, body: 'x' });
    ids.curl = await send('a11y', '/tickets.json', {
      method: 'POST',
      headers: { Authorization: basic(`${EMAIL}/token:${TOKEN}`), 'Content-Type': 'application/json', 'X-Zendesk-Webhook-Signature': 'bm9wZQ==', 'X-Zendesk-Webhook-Signature-Timestamp': '2024-01-01T00:00:00Z' },
      body: '{"ticket":{"id":1,"status":"open","tags":["a",true,null,2.5]}}',
    });
    // One the HTTP parser refused (a header wrapped by base64), so its badge and banner are checked too.
    const refused = await sendRaw(server.url, `GET /b/a11y/wrapped HTTP/1.1\r\nHost: a11y.test\r\nAuthorization: Basic ${'QUJD'.repeat(19)}\nREVG\r\n\r\n`);
    expect(refused.status).toBe(400);
    ids.refused = /Stored as request (\d+)/.exec(refused.body)![1]!;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${server.url}${path}`);
    return page;
  }

  it('home', async () => {
    const page = await open('/');
    await page.getByRole('link', { name: 'a11y' }).waitFor();
    await expectAccessible(page);
    await browser.screenshot(page, 'a11y-home');
  });

  it('bin', async () => {
    const page = await open('/bins/a11y');
    await page.getByText('9 requests').waitFor();
    await page.getByRole('checkbox').first().check();
    await expectAccessible(page);
    await browser.screenshot(page, 'a11y-bin');
  });

  it('request', async () => {
    const page = await open(`/bins/a11y/requests/${ids.echoed}`);
    await page.getByTestId('auth-user').waitFor();
    await expectAccessible(page);
    await page.goto(`${server.url}/bins/a11y/requests/${ids.curl}`);
    await page.getByLabel('Body (JSON)').waitFor();
    await expectAccessible(page);
    await browser.screenshot(page, 'a11y-request');
    await page.goto(`${server.url}/bins/a11y/requests/${ids.refused}`);
    await page.getByTestId('refused-banner').waitFor();
    await expectAccessible(page);
  });

  it('bin settings', async () => {
    const page = await open('/bins/a11y');
    await page.getByRole('button', { name: 'Bin settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bin settings' });
    await dialog.waitFor();
    await expectAccessible(page);
    await browser.screenshot(page, 'a11y-settings');
    // The rules editor with rules in it: a preset's cards, a condition of another kind, a problem shown at its field.
    await dialog.getByRole('button', { name: 'Zendesk API…' }).click();
    const preset = dialog.getByRole('group', { name: 'Zendesk API preset' });
    await preset.getByLabel('Email').fill(EMAIL);
    await preset.getByLabel('API token', { exact: true }).fill(TOKEN);
    await preset.getByRole('button', { name: 'Add Zendesk API rules' }).click();
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    const added = dialog.locator('.rule-card').last();
    await added.getByRole('button', { name: 'Add condition' }).click();
    await added.getByLabel('Condition', { exact: true }).selectOption('header');
    await added.getByLabel('Status', { exact: true }).fill('4o1');
    await dialog.getByRole('button', { name: 'Save rules' }).click();
    await added.getByText(/status must be a number/).waitFor();
    await expectAccessible(page);
    await browser.screenshot(page, 'a11y-rules');
  });

  it('compare', async () => {
    const page = await open(`/compare/${ids.curl}/${ids.echoed}`);
    await page.getByTestId('compare-headline').waitFor();
    await expectAccessible(page);
    await browser.screenshot(page, 'a11y-compare');
  });

  it('decode', async () => {
    const page = await open('/decode');
    await expectAccessible(page);
    await page.getByLabel('Authorization header or raw HTTP request').fill(`Authorization: ${basic(`${EMAIL}/token:${TOKEN}\n`)}`);
    await page.getByText('Read as 1 header line.').waitFor();
    await expectAccessible(page);
    await browser.screenshot(page, 'a11y-decode');
  });

  it('login', async () => {
    const locked = await startServer({ env: { AUTHBIN_TOKEN: ACCESS_TOKEN } });
    try {
      const page = await browser.newPage();
      await page.goto(`${locked.url}/login`);
      await page.getByLabel('Access token').fill('not-the-token');
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('alert').waitFor();
      await expectAccessible(page);
      await browser.screenshot(page, 'a11y-login');
    } finally {
      await locked.stop();
    }
  });

  it('reported nothing wrong in the pages (uncaught errors, CSP violations)', () => {
    // Except the refused login: its page comes with a 401, which Chromium logs as a failed load.
    expect(browser.problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
  });
});
