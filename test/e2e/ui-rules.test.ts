import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { testEngines } from '../helpers/app.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const EMAIL = 'jane.roe@example.com';
const TOKEN = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
// A phone held upright, where the settings dialog fills the screen.
const NARROW = 390;

/** Sends a request with curl's own -u, as a user would: the status and the reason header. */
function curl(url: string, userPass: string): { status: number; reason: string | null } {
  const out = execFileSync('curl', ['-s', '-i', '-u', userPass, url], { encoding: 'utf8' });
  const head = out.split('\r\n\r\n')[0]!;
  return { status: Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head)?.[1]), reason: /^x-authbin-reason: (.*)$/im.exec(head)?.[1]?.trim() ?? null };
}

describe.each(testEngines())('the rules editor in a real browser, on $name', (engine) => {
  let server: RunningServer;
  let browser: TestBrowser;
  let drop: () => Promise<void>;
  const screenshot = (page: Page, name: string) => browser.screenshot(page, engine.name === 'sqlite' ? name : `${name}-${engine.name}`);

  beforeAll(async () => {
    const database = await engine.createDatabase();
    drop = database.drop;
    // PostgreSQL has no key file: the key is configured, as every instance of a deployment would have it.
    server = await startServer({ dbPath: database.db, ...(engine.name === 'postgres' && { env: { AUTHBIN_SECRET_KEY: 'one-key-for-every-instance-0123456789' } }) });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await drop?.();
  });

  /** Opens the bin's settings (the bin made by a first capture) and saves the Zendesk preset for EMAIL and TOKEN. */
  async function applyZendeskPreset(page: Page, bin: string): Promise<void> {
    expect((await fetch(`${server.url}/b/${bin}/first`)).status).toBe(200);
    await page.goto(`${server.url}/bins/${bin}`);
    await page.getByRole('button', { name: 'Bin settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bin settings' });
    await dialog.getByRole('button', { name: 'Zendesk API…' }).click();
    const preset = dialog.getByRole('group', { name: 'Zendesk API preset' });
    await preset.getByLabel('Email').fill(EMAIL);
    await preset.getByLabel('API token', { exact: true }).fill(TOKEN);
    await preset.getByRole('button', { name: 'Add Zendesk API rules' }).click();
    await dialog.getByRole('button', { name: 'Save rules' }).click();
    await dialog.getByText('Rules saved.').waitFor();
  }

  it('saves the Zendesk preset; the token comes back masked, is kept when saved again, and never shows in clear', async () => {
    const page = await browser.newPage();
    await applyZendeskPreset(page, 'zd-rules');
    const stored = (await (await fetch(`${server.url}/api/bins/zd-rules/rules`)).json()) as { rules: { name?: string; when: { credentials?: { token?: string } }[] }[] };
    expect(stored.rules.map((rule) => rule.name)).toEqual(['Zendesk API', 'Zendesk API: authenticated']);
    const masked = stored.rules[0]!.when[0]!.credentials!.token!;
    expect(masked).toBe(`••••••••${TOKEN.slice(-4)} (${TOKEN.length} characters)`);

    await page.reload();
    await page.getByRole('button', { name: 'Bin settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bin settings' });
    const first = dialog.locator('.rule-card').first();
    await expect(first.getByLabel('Email').inputValue()).resolves.toBe(EMAIL);
    // The stored token is kept unless something is typed: the box starts empty, the mask beside it.
    await expect(first.getByLabel('API token', { exact: true }).inputValue()).resolves.toBe('');
    await first.getByText(`Kept: ${masked}. Type to replace it.`).waitFor();
    await screenshot(page, 'rules-saved');
    expect(await dialog.evaluate((el) => el.textContent + [...el.querySelectorAll('input, textarea')].map((i) => (i as HTMLInputElement).value).join(' '))).not.toContain(TOKEN);

    // Saved again untouched: the masked token keeps the stored one, so the list reads the same.
    await dialog.getByRole('button', { name: 'Save rules' }).click();
    await dialog.getByText('Rules saved.').waitFor();
    const again = (await (await fetch(`${server.url}/api/bins/zd-rules/rules`)).json()) as typeof stored;
    expect(again.rules[0]!.when[0]!.credentials!.token).toBe(masked);
    expect(browser.problems).toEqual([]);
  });

  it('applies the Zendesk preset: curl with a wrong token gets 401 and the reason, the right one 200, and the inspector says which rule answered and why', async () => {
    const page = await browser.newPage();
    await applyZendeskPreset(page, 'zd-answer');
    // The newest capture of the bin: the one curl just sent.
    const latest = async () => ((await (await fetch(`${server.url}/api/bins/zd-answer/requests?limit=1`)).json()) as { requests: { id: string }[] }).requests[0]!.id;
    const wrong = curl(`${server.url}/b/zd-answer/api/v2/users/me.json`, `${EMAIL}/token:${TOKEN}\n`);
    expect(wrong.status).toBe(401);
    expect(wrong.reason).toMatch(/line break/);
    const wrongId = await latest();
    const right = curl(`${server.url}/b/zd-answer/api/v2/users/me.json`, `${EMAIL}/token:${TOKEN}`);
    expect(right.status).toBe(200);
    const rightId = await latest();

    await page.goto(`${server.url}/bins/zd-answer/requests/${wrongId}`);
    const note = page.getByTestId('answer-note');
    await expect(note.textContent()).resolves.toMatch(/^Answered 401 by rule Zendesk API — .*line break/);
    await screenshot(page, 'rules-answer-401');
    await page.goto(`${server.url}/bins/zd-answer/requests/${rightId}`);
    await expect(page.getByTestId('answer-note').textContent()).resolves.toMatch(/^Answered 200 by rule Zendesk API: authenticated/);

    // Each rule answered once; Reset counters sets both back to 0.
    await page.getByRole('button', { name: 'Bin settings' }).click();
    const counters = page.getByRole('dialog', { name: 'Bin settings' }).getByTestId('rule-counter');
    await counters.first().waitFor();
    await expect(counters.allTextContents()).resolves.toEqual(['Answered 1 request since the counters were last reset.', 'Answered 1 request since the counters were last reset.']);
    await page.getByRole('button', { name: 'Reset counters' }).click();
    await page.getByText('Counters reset').waitFor();
    await expect(counters.allTextContents()).resolves.toEqual(['Answered 0 requests since the counters were last reset.', 'Answered 0 requests since the counters were last reset.']);
  });

  it.runIf(engine.name === 'sqlite')('fits the rules editor on a 390 px wide screen', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: NARROW, height: 844 });
    await applyZendeskPreset(page, 'zd-narrow');
    await page.locator('.rule-card').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'rules-narrow');
    const overflowing = await page.evaluate(
      (width) =>
        [...document.querySelectorAll('.rules-editor, .rules-editor *')]
          .filter((el) => el.getBoundingClientRect().right > width + 0.5 && el.getClientRects().length > 0)
          .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`),
      NARROW,
    );
    expect(overflowing).toEqual([]);
  });
});
