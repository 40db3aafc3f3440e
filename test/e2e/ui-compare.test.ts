import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite } from '../helpers/browser-suite.ts';

const TOKEN = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
const USER = 'jane@example.com/token';

const suite = browserSuite('ui-compare-last');

function curl(args: string[]): string {
  return (JSON.parse(execFileSync('curl', ['-s', ...args], { encoding: 'utf8' })) as { id: string }).id;
}

/** Where the two Authorization sides sit: side by side on a wide screen, one under the other on a narrow one. */
async function sides(page: Page) {
  const box = async (side: string) => (await page.getByRole('group', { name: `Authorization of ${side}` }).boundingBox())!;
  return { a: await box('A'), b: await box('B') };
}

describe('comparing two requests in a real browser', () => {
  it('picks two curl captures in the list and says the Authorization difference in one sentence, after a reload too', async () => {
    // The one that works: curl builds the header itself.
    const works = curl(['-u', `${USER}:${TOKEN}`, `${suite.server.url}/b/pair/tickets.json`]);
    // The one that fails: the header built by hand with echo, whose line break ends up in the base64.
    const encoded = execFileSync('bash', ['-c', `echo '${USER}:${TOKEN}' | base64 -w0`], { encoding: 'utf8' });
    const fails = curl(['-H', `Authorization: Basic ${encoded}`, '-H', 'X-Request-Id: 7', `${suite.server.url}/b/pair/tickets.json?page=2`]);

    const page = await suite.openPage();
    await page.goto(`${suite.server.url}/bins/pair`);
    await page.getByRole('checkbox', { name: 'Pick GET /tickets.json to compare' }).first().waitFor();
    await page.locator(`[data-request-id="${works}"]`).click({ modifiers: ['Shift'] });
    await page.locator(`[data-request-id="${fails}"]`).click({ modifiers: ['Shift'] });
    await suite.browser.screenshot(page, 'compare-picked-in-list');
    await page.getByRole('button', { name: 'Compare (2/2)' }).click();
    await page.waitForURL(`**/compare/${works}/${fails}`);

    const sentence = "Same credentials, but B's API token ends with a line break";
    await expect.poll(() => page.getByTestId('compare-headline').textContent()).toBe(sentence);
    await expect(page.locator('body').textContent()).resolves.not.toContain(TOKEN);
    await page.reload();
    await expect.poll(() => page.getByTestId('compare-headline').textContent()).toBe(sentence);

    await page.getByRole('button', { name: "Reveal B's API token" }).click();
    await expect(page.getByRole('group', { name: 'Authorization of B' }).textContent()).resolves.toContain(`${TOKEN}\\n`);
    await page.getByRole('button', { name: "Hide B's API token" }).click();

    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        const { a, b } = await sides(page);
        if (width === 1280) {
          expect(b.y).toBe(a.y);
          expect(b.x).toBeGreaterThanOrEqual(a.x + a.width);
        } else {
          expect(b.x).toBe(a.x);
          expect(b.y).toBeGreaterThanOrEqual(a.y + a.height);
        }
        await page.evaluate(() => window.scrollTo(0, 0));
        await suite.browser.screenshot(page, `compare-${colorScheme}-${width}`);
      }
    }
  });

  it('walks the differences with the keyboard, each scrolled into view and announced', async () => {
    const a = curl(['-H', 'X-Trace: 1', '--data-binary', '{"ticket":{"status":"open","tags":["a"]}}', '-H', 'Content-Type: application/json', `${suite.server.url}/b/walk/hook`]);
    const b = curl(['-H', 'X-Trace: 2', '--data-binary', '{"ticket":{"status":"solved","tags":["a","b"]}}', '-H', 'Content-Type: application/json', `${suite.server.url}/b/walk/hook`]);
    const page = await suite.openPage();
    await page.setViewportSize({ width: 390, height: 700 });
    await page.goto(`${suite.server.url}/compare/${a}/${b}`);
    await page.getByTestId('compare-headline').waitFor();
    const stops = ['Header X-Trace, changed', 'Header Content-Length, changed', 'Body $.ticket.status, changed', 'Body $.ticket.tags[1], added'];
    for (const [i, label] of stops.entries()) {
      await page.keyboard.press('j');
      await expect.poll(() => page.getByTestId('difference-announcement').textContent()).toBe(`Difference ${i + 1} of ${stops.length}: ${label}`);
      const focused = page.locator(':focus');
      expect(await focused.getAttribute('data-difference')).toBe(label);
      // In view: the walk scrolls the page to it on a phone-sized screen too.
      const box = (await focused.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(700);
    }
    await suite.browser.screenshot(page, 'compare-keyboard-390');
    await page.keyboard.press('k');
    await expect.poll(() => page.getByTestId('difference-announcement').textContent()).toBe(`Difference 3 of 4: Body $.ticket.status, changed`);
  });

  it('says which signed input differs and, with the secret typed in the page, which side verifies', async () => {
    const secret = 'zendesk-signing-secret-1234567890';
    const timestamp = '2024-05-01T12:00:00Z';
    const body = '{"ticket": {"id": 35436, "status": "open"}}';
    const mac = createHmac('sha256', secret).update(timestamp + body).digest('base64');
    const signed = ['-H', 'Content-Type: application/json', '-H', `X-Zendesk-Webhook-Signature: ${mac}`, '-H', `X-Zendesk-Webhook-Signature-Timestamp: ${timestamp}`];
    const a = curl([...signed, '--data-binary', body, `${suite.server.url}/b/signed/zendesk`]);
    const b = curl([...signed, '--data-binary', JSON.stringify(JSON.parse(body)), `${suite.server.url}/b/signed/zendesk`]);
    const page = await suite.openPage();
    const sentToServer: string[] = [];
    page.on('request', (request) => sentToServer.push(`${request.url()} ${request.postData() ?? ''}`));
    await page.goto(`${suite.server.url}/compare/${a}/${b}`);
    await expect
      .poll(() => page.getByTestId('compare-headline').textContent())
      .toBe('Zendesk signatures: the same signature, though the body bytes (the same JSON, written differently) differ, so one of them cannot verify');
    await page.getByLabel('Signing secret, to see which one verifies').fill(secret);
    await expect.poll(() => page.getByTestId('signature-outcome').textContent()).toBe("With this secret, A's Zendesk signature verifies and B's does not.");
    expect(sentToServer.filter((line) => line.includes(secret))).toEqual([]);
    for (const [colorScheme, width] of [['light', 1280], ['dark', 390]] as const) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 900 });
      await page.getByRole('heading', { name: 'Signatures' }).evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
      await suite.browser.screenshot(page, `compare-signatures-${colorScheme}-${width}`);
    }
  });
});
