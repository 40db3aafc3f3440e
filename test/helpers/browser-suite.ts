import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { startServer, type RunningServer } from './server.ts';

export interface BrowserSuite {
  /** The built authbin this file's tests talk to. */
  readonly server: RunningServer;
  readonly browser: TestBrowser;
  /** A fresh page; after the test it is screenshotted and closed. */
  openPage(): Promise<Page>;
}

/**
 * One server and one Chromium for a test file. After each test the page's last view is kept as a
 * screenshot (`{screenshotPrefix}-{test name}`) so a failing run can be looked at, and the page must
 * have reported no error or CSP violation.
 */
export function browserSuite(screenshotPrefix: string, onPage: (page: Page) => void = () => {}): BrowserSuite {
  let server: RunningServer | undefined;
  let browser: TestBrowser | undefined;
  let current: Page | undefined;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  afterEach(async (context) => {
    if (current) {
      await browser!.screenshot(current, `${screenshotPrefix}-${context.task.name.replace(/\W+/g, '-').slice(0, 60)}`);
      await current.close();
      current = undefined;
    }
    expect(browser!.problems, 'errors or CSP violations in the page').toEqual([]);
  });

  return {
    get server() {
      return server!;
    },
    get browser() {
      return browser!;
    },
    async openPage() {
      current = await browser!.newPage();
      onPage(current);
      return current;
    },
  };
}
