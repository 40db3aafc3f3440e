import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

// A phone held upright (an iPhone 12 to 15 is 390 CSS pixels wide).
const WIDTH = 390;
// A name as people give bins: 17 characters, one word.
const BIN = 'zendesk-webhooks1';
const basicApiToken = 'Basic ' + Buffer.from('jane.roe@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv').toString('base64');

interface Box {
  left: number;
  right: number;
  top: number;
  height: number;
}

/** Where an element is drawn, in CSS pixels. */
async function box(page: Page, selector: string): Promise<Box> {
  return page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, height: r.height };
  });
}

/** The elements drawn past the right edge of the viewport (or that make the page scroll sideways). */
async function overflowing(page: Page, within: string): Promise<string[]> {
  return page.evaluate(
    ({ within, width }) =>
      [...document.querySelectorAll(`${within}, ${within} *`)]
        .filter((el) => el.getBoundingClientRect().right > width + 0.5 && el.getClientRects().length > 0)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`),
    { within, width: WIDTH },
  );
}

describe(`the bin page on a ${WIDTH} px wide screen`, () => {
  let server: RunningServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser({ viewport: { width: WIDTH, height: 844 } });
    for (const [method, path, auth] of [
      ['GET', '/ping', null],
      ['POST', '/api/v2/webhooks/tickets/updated.json?ticket_id=123456&status=solved', basicApiToken],
      ['DELETE', '/hook', 'Bearer abc.def.ghi'],
    ] as const) {
      const response = await fetch(`${server.url}/b/${BIN}${path}`, { method, headers: auth ? { Authorization: auth } : {} });
      expect(response.status).toBe(200);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the bin name on one line, and the header and the request list within the screen', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/bins/${BIN}`);
    await page.getByText('3 requests').waitFor();
    await browser.screenshot(page, 'narrow-bin');

    const name = await box(page, '.bin-head h1');
    const lineHeight = await page.locator('.bin-head h1').evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
    expect(name.height).toBeLessThan(lineHeight * 1.5);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(WIDTH);
    expect(await overflowing(page, '.bin-head')).toEqual([]);
    expect(await overflowing(page, '.bin-toolbar')).toEqual([]);
    expect(await overflowing(page, '.bin-list')).toEqual([]);

    // Each row keeps its method, a readable stretch of its path, its size and its age.
    const rows = page.getByRole('list', { name: 'Requests' }).getByRole('listitem');
    await expect(rows.count()).resolves.toBe(3);
    const path = await box(page, '[data-request-id] .request-row-path');
    expect(path.right - path.left).toBeGreaterThan(150);
    const time = await box(page, '[data-request-id] .request-row-time');
    expect(time.right).toBeLessThanOrEqual(WIDTH);
    // The list starts within the first screen, under the header and the filters.
    expect((await box(page, '.bin-list')).top).toBeLessThan(844 * 0.75);
  });

  it('shows an opened request below the list, within the screen', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/bins/${BIN}`);
    await page.getByRole('list', { name: 'Requests' }).getByRole('link').nth(1).click();
    await page.getByTestId('auth-user').waitFor();
    await browser.screenshot(page, 'narrow-request');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(WIDTH);
    expect(await overflowing(page, '.inspector-head')).toEqual([]);
    expect(browser.problems).toEqual([]);
  });
});
