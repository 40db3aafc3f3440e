import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Where end-to-end tests leave their screenshots, so a failing run can be looked at. */
export const screenshotDir = join(tmpdir(), 'authbin-screens');

const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

export interface TestBrowser {
  browser: Browser;
  context: BrowserContext;
  /** A new tab that records console errors, failed CSP checks and uncaught exceptions into `problems`. */
  newPage(): Promise<Page>;
  /** Everything that went wrong in the pages: uncaught errors, console errors, CSP violations. */
  problems: string[];
  /** Saves a full-page PNG as `<screenshotDir>/<name>.png` and returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with one fresh context (no cookies, no storage) for the calling test file. */
export async function launchBrowser(
  options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number }; /** More Chromium flags. */ args?: string[] } = {},
): Promise<TestBrowser> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...launchArgs, ...(options.args ?? [])] });
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
  });
  mkdirSync(screenshotDir, { recursive: true });
  const problems: string[] = [];
  return {
    browser,
    context,
    problems,
    async newPage() {
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      return page;
    },
    async screenshot(page, name) {
      const path = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path, fullPage: false });
      return path;
    },
    async close() {
      await context.close();
      await browser.close();
    },
  };
}
