import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
let browser: TestBrowser;
// Our own folder for the database, so that it outlives the first server (startServer removes the folders it made).
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'authbin-e2e-live-'));
  server = await startServer({ dbPath: join(dir, 'authbin.db') });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function send(path: string): Promise<void> {
  const response = await fetch(`${server.url}/b/restart${path}`, { method: 'POST', body: path });
  expect(response.status).toBe(200);
}

describe('the live list', () => {
  it('reconnects after the server restarts and shows the requests it missed, without a reload', async () => {
    const page = await browser.newPage();
    await send('/before');
    await page.goto(`${server.url}/bins/restart`);
    const rows = page.getByRole('list', { name: 'Requests' }).getByRole('listitem');
    await rows.first().waitFor();
    await page.getByText('live', { exact: true }).waitFor();

    // Restart on the same port and database, as `npm start` would after a crash.
    const { port } = new URL(server.url);
    await server.stop();
    await page.getByText('reconnecting…').waitFor();
    server = await startServer({ dbPath: join(dir, 'authbin.db'), args: ['--port', port] });
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
    await send('/while-reconnecting');
    await page.getByText('live', { exact: true }).waitFor({ timeout: 20_000 });
    await send('/after');

    await expect.poll(() => rows.allTextContents(), { timeout: 10_000 }).toEqual([
      expect.stringContaining('/after'),
      expect.stringContaining('/while-reconnecting'),
      expect.stringContaining('/before'),
    ]);
    await browser.screenshot(page, 'live-after-restart');
    // Chromium logs the stream cut by the shutdown and the refused reconnection attempts; nothing else may fail.
    expect(browser.problems.filter((p) => !/ERR_CONNECTION_REFUSED|ERR_INCOMPLETE_CHUNKED_ENCODING/.test(p))).toEqual([]);
    await page.close();
  });
});
