import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { browserSuite } from '../helpers/browser-suite.ts';

const TOKEN = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
const USER = 'jane@example.com/token';

const suite = browserSuite('ui-compare-last');

function curl(args: string[]): string {
  return (JSON.parse(execFileSync('curl', ['-s', ...args], { encoding: 'utf8' })) as { id: string }).id;
}

describe('comparing two requests in a real browser', () => {
  it('picks two curl captures in the list and says the Authorization difference in one sentence, after a reload too', async () => {
    // The one that works: curl builds the header itself.
    const works = curl(['-u', `${USER}:${TOKEN}`, `${suite.server.url}/b/pair/tickets.json`]);
    // The one that fails: the header built by hand with echo, whose line break ends up in the base64.
    const encoded = execFileSync('bash', ['-c', `echo '${USER}:${TOKEN}' | base64 -w0`], { encoding: 'utf8' });
    const fails = curl(['-H', `Authorization: Basic ${encoded}`, `${suite.server.url}/b/pair/tickets.json`]);

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
        await suite.browser.screenshot(page, `compare-${colorScheme}-${width}`);
      }
    }
  });
});
