import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite } from '../helpers/browser-suite.ts';

const SECRET = 'dGhpc19pc19teV96ZW5kZXNrX3NlY3JldA==';
const TIMESTAMP = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Every request the page made, with its body, to show that the secret never leaves the suite.browser. */
const sentByPage: string[] = [];
const suite = browserSuite('ui-signatures-last', (page) =>
  page.on('request', (request) => sentByPage.push(`${request.method()} ${request.url()} ${request.postData() ?? ''}`)),
);
const openPage = () => suite.openPage();

/** Sends a Zendesk-style signed webhook with curl, as Zendesk would, signed with node:crypto. */
function sendSigned(bin: string, body: string, secret = SECRET): string {
  const signature = createHmac('sha256', secret).update(TIMESTAMP + body).digest('base64');
  const out = execFileSync(
    'curl',
    ['-s', '-X', 'POST', '-H', 'Content-Type: application/json', '-H', `X-Zendesk-Webhook-Signature: ${signature}`, '-H', `X-Zendesk-Webhook-Signature-Timestamp: ${TIMESTAMP}`, '--data-binary', body, `${suite.server.url}/b/${bin}/zendesk`],
    { encoding: 'utf8' },
  );
  return (JSON.parse(out) as { id: string }).id;
}

const rows = (p: Page) => p.getByRole('list', { name: 'Requests' }).getByRole('listitem');

describe('webhook signatures and search in a real browser', () => {
  it('verifies a Zendesk signature in the browser: ✓ with the right secret, ✗ with the mismatch message for a wrong one', async () => {
    const id = sendSigned('signed', '{"ticket":{"id":35436,"status":"open"}}');
    const page = await openPage();
    await page.goto(`${suite.server.url}/bins/signed/requests/${id}`);
    const panel = page.getByRole('region', { name: 'Webhook signature' });
    await panel.getByText('X-Zendesk-Webhook-Signature', { exact: true }).waitFor();
    await expect(panel.getByTestId('signature-status').textContent()).resolves.toContain('Not verified');

    await panel.getByLabel('Signing secret', { exact: true }).fill(SECRET);
    const verdict = panel.getByTestId('signature-verdict');
    await expect.poll(() => verdict.textContent()).toMatch(/^✓ Valid Zendesk signature/);
    await expect.poll(() => rows(page).first().getByTestId('row-signature').textContent()).toMatch(/^✓ Zendesk/);
    await panel.scrollIntoViewIfNeeded();
    await suite.browser.screenshot(page, 'signature-valid');

    await panel.getByLabel('Signing secret', { exact: true }).fill(SECRET.slice(0, -3) + 'x==');
    await expect.poll(() => verdict.textContent()).toMatch(/^✗ Invalid/);
    const mismatch = panel.locator('[data-code="signature-mismatch"]');
    await expect(mismatch.textContent()).resolves.toMatch(/doesn't match this secret/);
    await expect.poll(() => rows(page).first().getByTestId('row-signature').textContent()).toMatch(/^✗ Zendesk/);
    await suite.browser.screenshot(page, 'signature-invalid');

    // Kept for the bin in this tab only, and never sent anywhere.
    await page.reload();
    await expect(page.getByLabel('Signing secret', { exact: true }).inputValue()).resolves.toBe(SECRET.slice(0, -3) + 'x==');
    expect(sentByPage.some((line) => line.includes(SECRET.slice(0, 20)))).toBe(false);
    expect(suite.server.output()).not.toContain(SECRET.slice(0, 20));
  });

  it('finds a request by its body text with the filter box, and keeps the filter in the URL', async () => {
    sendSigned('search', '{"event":"ticket.created"}');
    sendSigned('search', '{"event":"refund.issued","amount":12}');
    sendSigned('search', '{"event":"ticket.updated"}');
    const page = await openPage();
    await page.goto(`${suite.server.url}/bins/search`);
    await expect.poll(() => rows(page).count()).toBe(3);
    await page.getByRole('searchbox', { name: 'Search requests' }).fill('refund');
    await page.waitForURL(`${suite.server.url}/bins/search?q=refund`);
    await expect.poll(() => rows(page).count()).toBe(1);
    await rows(page).first().getByRole('link').click();
    await expect(page.getByLabel('Body (JSON)').textContent()).resolves.toContain('"refund.issued"');
    expect(new URL(page.url()).search).toBe('?q=refund');
    await suite.browser.screenshot(page, 'filter-refund');

    await page.reload();
    await expect.poll(() => rows(page).count()).toBe(1);
    await expect(page.getByRole('searchbox', { name: 'Search requests' }).inputValue()).resolves.toBe('refund');
    await page.getByRole('searchbox', { name: 'Search requests' }).fill('nothing-like-this');
    await page.getByText('No requests match this filter.').waitFor();
    await page.getByRole('navigation', { name: 'Requests in this bin' }).getByRole('button', { name: 'Clear filter' }).click();
    await expect.poll(() => rows(page).count()).toBe(3);
  });

  it('opens the replay editor prefilled from the request, and the bin settings with forwarding', async () => {
    const id = sendSigned('tools', '{"ticket":{"id":1}}');
    const page = await openPage();
    await page.goto(`${suite.server.url}/bins/tools/requests/${id}`);
    await page.getByRole('button', { name: 'Replay…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay request' });
    await expect(dialog.getByRole('textbox', { name: 'Method' }).inputValue()).resolves.toBe('POST');
    await expect(dialog.getByRole('textbox', { name: 'Header 1 name' }).inputValue()).resolves.toBe('User-Agent');
    await expect(dialog.getByRole('textbox', { name: 'Body' }).inputValue()).resolves.toBe('{"ticket":{"id":1}}');
    await dialog.getByRole('textbox', { name: 'Target URL' }).fill('http://localhost:3000/webhook');
    await suite.browser.screenshot(page, 'replay-editor');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Bin settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Bin settings' });
    await settings.getByRole('textbox', { name: 'Forward each request to' }).fill('http://127.0.0.1:9/webhook');
    await settings.getByRole('button', { name: 'Save forwarding' }).click();
    await settings.getByText('Each new request is relayed to http://127.0.0.1:9/webhook.').waitFor();
    await suite.browser.screenshot(page, 'bin-settings');
    const bin = (await (await fetch(`${suite.server.url}/api/bins/tools`)).json()) as { forwardTo: string | null };
    expect(bin.forwardTo).toBe('http://127.0.0.1:9/webhook');
  });
});
