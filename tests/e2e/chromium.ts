/**
 * Real headless Chromium for the end-to-end tests: Debian's /usr/bin/chromium driven by
 * playwright-core (`npx playwright install` cannot download browsers here). Without it the
 * suite is skipped with a loud message, or fails when E2E_REQUIRED=1 (CI must not pass by
 * skipping).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from '../support/cli-process.js';
import { e2eRequired, warnSkipped } from '../support/e2e-required.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const chromiumMissing = !existsSync(CHROMIUM_PATH);

/** The operator the browser tests log in as. */
export const E2E_OPERATOR = { username: 'operator', password: 'e2e-password-123' };

/** The README's screenshots are rewritten only on request, so a test run leaves the tree clean. */
export const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1' ? path.join(REPO_ROOT, 'docs', 'screenshots') : path.join(os.tmpdir(), 'pileup-e2e-screenshots');

/** Records uncaught page errors and Content-Security-Policy violations of `page` in `problems`. */
export function watchForProblems(page: Page, problems: string[]): void {
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
  });
}

export function warnIfSkipped(): void {
  if (!chromiumMissing || e2eRequired) return;
  warnSkipped('END-TO-END BROWSER TESTS', `${CHROMIUM_PATH} is missing`, 'Install it with `apt-get install -y chromium`');
}

export async function launchChromium(): Promise<Browser> {
  if (chromiumMissing) throw new Error(`E2E_REQUIRED=1 but ${CHROMIUM_PATH} is missing: install it with apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}
