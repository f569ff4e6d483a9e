/** Real Chromium through playwright-core, with axe-core checking every page a journey visits. */
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PASSWORD, startTestApp, type TestApp } from './test-app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}. Install Debian's chromium (apt-get install chromium; .ci/run does it) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The WCAG 2.1 A/AA violations on the page, as readable lines (empty when clean). */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations.map(
    (v) =>
      `${page.url()}: ${v.id} (${v.impact}) ${v.help} – ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** The real app served on a free loopback port, a Chromium, and `visit` that runs axe and takes a screenshot. */
export interface BrowserSession {
  t: TestApp;
  base: string;
  browser: Browser;
  /** Every axe violation seen on visited pages; a journey ends with `expect(violations).toEqual([])`. */
  violations: string[];
  visit(page: Page, name: string): Promise<void>;
  logIn(page: Page, email: string, password?: string): Promise<void>;
  close(): Promise<void>;
}

const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-results');

export async function startBrowserSession(
  prefix: string,
  options: Parameters<typeof startTestApp>[0] = {},
): Promise<BrowserSession> {
  const t = await startTestApp(options);
  const server: Server = t.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const violations: string[] = [];
  return {
    t,
    base,
    browser,
    violations,
    async visit(page, name) {
      await page.waitForLoadState('load');
      violations.push(...(await axeViolations(page)));
      await page.screenshot({ path: path.join(SCREENSHOTS, `${prefix}-${name}.png`), fullPage: true });
    },
    async logIn(page, email, password = PASSWORD) {
      await page.goto(`${base}/logga-in`);
      await page.getByLabel('E-postadress').fill(email);
      await page.getByLabel('Lösenord').fill(password);
      await page.locator('main').getByRole('button', { name: 'Logga in', exact: true }).click();
      // Each role lands where its work is (server/auth/landing.ts); any page but the login page means logged in.
      await page.waitForURL((url) => url.pathname !== '/logga-in');
    },
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
      await t.close();
    },
  };
}
