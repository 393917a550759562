/**
 * End to end in a real headless Chromium: the headless server (`node dist/server/headless.js`) serves
 * the built pages; the operator console logs in over the WebSocket; a plain WebSocket client and
 * the public page register callsigns; commands clicked or typed in the console reach the client
 * as broadcasts; a reload keeps the session; a killed and restarted server is reconnected.
 * The tests run in order and share one server, one console and one client, like an evening's
 * pileup. Screenshots go to a temp folder; `UPDATE_SCREENSHOTS=1` saves them to docs/screenshots/
 * for the README.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, ensureBuilt, killAllClis, spawnCli } from '../support/cli-process.js';
import { TestClient } from '../support/harness.js';
import { e2eRequired } from '../support/e2e-required.js';
import { chromiumMissing, E2E_OPERATOR, launchChromium, SCREENSHOTS, warnIfSkipped, watchForProblems } from './chromium.js';
import { ensureRendererBuilt } from './renderer-build.js';

const OPERATOR = E2E_OPERATOR;
/** The promise of the brief: what happens anywhere shows in the console within a second. */
const WITHIN_A_SECOND = 1000;

warnIfSkipped();
const suite = chromiumMissing && !e2eRequired ? describe.skip : describe;

suite('the console and pages in a real browser', () => {
  let dataDir: string;
  let server: CliRun;
  let origin: string;
  let wsUrl: string;
  let browser: Browser;
  let console_: Page;
  let client: TestClient;
  /** Uncaught page errors and CSP violations: any of them fails the suite at the end. */
  const problems: string[] = [];

  async function startServer(port: number): Promise<void> {
    server = spawnCli(['--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir], {
      ADMIN_USERNAME: OPERATOR.username,
      ADMIN_PASSWORD: OPERATOR.password,
      MAX_QUEUE_SIZE: '10',
    });
    const [, url = ''] = await server.waitForStdout(/WebSocket API: (ws:\/\/\S+)/);
    await server.waitForStdout(/Press Ctrl\+C to stop\./);
    wsUrl = url;
    origin = url.replace(/^ws:/, 'http:').replace(/\/api\/ws$/, '');
  }

  async function newPage(width: number, height: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } });
    watchForProblems(page, problems);
    return page;
  }

  const queued = (page: Page, callsign: string) => page.getByRole('button', { name: `Work this ${callsign}`, exact: true });
  const connection = (page: Page) => page.getByRole('status', { name: 'Connection' });

  beforeAll(async () => {
    await Promise.all([ensureBuilt(), ensureRendererBuilt(), mkdir(SCREENSHOTS, { recursive: true })]);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pileup-e2e-'));
    [browser] = await Promise.all([launchChromium(), startServer(0)]);
    console_ = await newPage(1024, 600);
    client = await TestClient.connect(wsUrl);
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await killAllClis();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('logs the operator in over the WebSocket and shows the inactive system', async () => {
    await console_.goto(`${origin}/admin`);
    await console_.getByLabel('Username').fill(OPERATOR.username);
    await console_.getByLabel('Password').fill(OPERATOR.password);
    await console_.getByRole('button', { name: 'Log in' }).click();
    const system = console_.getByRole('switch', { name: 'System' });
    await system.waitFor();
    expect(await system.getAttribute('aria-checked')).toBe('false');
    await connection(console_).filter({ hasText: 'Connected' }).waitFor();
  });

  it('switches the system on from the console, and a WebSocket client hears it', async () => {
    const heard = client.nextBroadcast('system_status_update');
    await console_.getByRole('switch', { name: 'System' }).click();
    expect((await heard).data).toMatchObject({ active: true });
    await console_.locator('[role="switch"][aria-checked="true"]').waitFor();
  });

  it('shows a callsign registered by a plain WebSocket client within a second', async () => {
    expect(await client.request('register_callsign', { callsign: 'EA1ABC' })).toMatchObject({ type: 'success' });
    await queued(console_, 'EA1ABC').waitFor({ timeout: WITHIN_A_SECOND });
  });

  it('registers from the public page, explains mistakes, and the console shows it within a second', async () => {
    const page = await newPage(480, 800);
    await page.goto(`${origin}/`);
    const field = page.getByRole('textbox', { name: 'Your callsign' });
    await field.fill('abc1def');
    await page.getByRole('button', { name: 'Join the queue' }).click();
    await page.getByText('“ABC1DEF” is not a valid callsign.', { exact: false }).waitFor();
    await field.fill(' dl1abc ');
    await page.getByRole('button', { name: 'Join the queue' }).click();
    await page.getByText('DL1ABC is in the queue at position 2 of 2.').waitFor();
    await queued(console_, 'DL1ABC').waitFor({ timeout: WITHIN_A_SECOND });
    await field.fill('EA1ABC');
    await page.getByRole('button', { name: 'Join the queue' }).click();
    await page.getByText('EA1ABC is already in the queue, at position 1.').waitFor();
    await page.close();
  });

  it('works the next station with N and completes it with the button; the client hears both', async () => {
    const started = client.nextBroadcast('qso_update', (m) => (m.data as { change_type: string }).change_type === 'qso_started');
    await console_.keyboard.press('n');
    expect((await started).data).toMatchObject({ callsign: 'EA1ABC', source: 'queue' });
    const card = console_.getByRole('region', { name: 'Current QSO' });
    await card.getByText('EA1ABC', { exact: true }).waitFor({ timeout: WITHIN_A_SECOND });

    const completed = client.nextBroadcast('qso_update', (m) => (m.data as { change_type: string }).change_type === 'qso_completed');
    await card.getByRole('button', { name: 'Complete' }).click();
    expect((await completed).data).toMatchObject({ callsign: 'EA1ABC' });
    await card.getByText('No QSO in progress', { exact: false }).waitFor();
    await console_.getByRole('cell', { name: 'EA1ABC', exact: true }).waitFor();
  });

  it('sets the frequency from the console, and the client hears it', async () => {
    const heard = client.nextBroadcast('frequency_update');
    await console_.getByRole('textbox', { name: 'MHz or kHz' }).fill('14.195');
    await console_.getByRole('combobox', { name: 'Mode' }).fill('SSB');
    await console_.getByRole('button', { name: 'Set frequency' }).click();
    expect((await heard).data).toMatchObject({ frequency: '14.195', mode: 'SSB' });
  });

  it('keeps the session and the state across a reload', async () => {
    await console_.reload();
    await queued(console_, 'DL1ABC').waitFor();
    expect(await console_.getByLabel('Password').count()).toBe(0);
    expect(await console_.getByRole('switch', { name: 'System' }).getAttribute('aria-checked')).toBe('true');
  });

  it('reconnects after the server is killed and restarted, and picks up what changed meanwhile', async () => {
    const port = Number(new URL(origin).port);
    await client.close();
    server.child.kill('SIGKILL');
    await server.exited;
    await connection(console_).filter({ hasText: 'Connection lost' }).waitFor();

    await startServer(port);
    client = await TestClient.connect(wsUrl);
    // Registered while the console may still be waiting to retry: it must come from the snapshot.
    await client.request('register_callsign', { callsign: 'G0ABC' });
    await connection(console_).filter({ hasText: 'Connected' }).waitFor({ timeout: 15_000 });
    await queued(console_, 'G0ABC').waitFor({ timeout: WITHIN_A_SECOND });
    await queued(console_, 'DL1ABC').waitFor();
    // Still logged in: sessions survive a restart.
    expect(await console_.getByLabel('Password').count()).toBe(0);
    await client.request('register_callsign', { callsign: 'JA1XYZ' });
    await queued(console_, 'JA1XYZ').waitFor({ timeout: WITHIN_A_SECOND });
  });

  it('saves screenshots of the console (light and dark), the public page and the status page', async () => {
    for (const callsign of ['VK2DEF', 'EI6JGB/P', '2E0JFS', 'KC1ABC/M']) await client.request('register_callsign', { callsign });
    await client.login(OPERATOR);
    // The station's locator gives every queue row its bearing and distance.
    await client.admin('admin_set_station', { callsign: 'EA8/DL1ABC', locator: 'IL18rj' });
    // Two more QSOs worked (the console ignores a second N until the first is answered, so the
    // next one comes from the client): the log fills and the console knows the QSO rate.
    await console_.keyboard.press('n');
    await console_.getByRole('region', { name: 'Current QSO' }).getByText('DL1ABC', { exact: true }).waitFor();
    await client.admin('admin_work_next');
    await queued(console_, 'KC1ABC/M').waitFor();
    await console_.getByText('per QSO', { exact: false }).waitFor();
    await console_.locator('.queue-bearing').first().waitFor();
    await console_.screenshot({ path: path.join(SCREENSHOTS, 'console.png') });
    await console_.emulateMedia({ colorScheme: 'dark' });
    await console_.screenshot({ path: path.join(SCREENSHOTS, 'console-dark.png') });
    await console_.emulateMedia({ colorScheme: 'light' });

    const page = await newPage(480, 720);
    await page.goto(`${origin}/`);
    await page.getByRole('list', { name: 'Waiting stations' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'public.png') });
    await page.close();

    const status = await newPage(320, 140);
    await status.goto(`${origin}/status`);
    await status.getByText('QRV', { exact: false }).waitFor();
    await status.screenshot({ path: path.join(SCREENSHOTS, 'status.png') });
    await status.close();
  });

  it('lets another site frame the status page, which makes no request elsewhere, but not the console', async () => {
    const embedder = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<iframe id="status" src="${origin}/status"></iframe><iframe id="admin" src="${origin}/admin"></iframe>`);
    });
    await new Promise<void>((resolve) => embedder.listen(0, '127.0.0.1', resolve));
    try {
      const page = await newPage(800, 400);
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      const embedderOrigin = `http://127.0.0.1:${(embedder.address() as AddressInfo).port}`;
      await page.goto(`${embedderOrigin}/`);
      await page.frameLocator('#status').getByText('QRV', { exact: false }).waitFor();
      expect(await page.frameLocator('#admin').getByRole('button').count()).toBe(0);
      const elsewhere = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith(`${embedderOrigin}/`));
      expect(elsewhere).toEqual([]);
      // The embedding CSP violation (admin) is expected here; take it out of the problems.
      problems.splice(0, problems.length, ...problems.filter((problem) => !problem.includes('frame-ancestors')));
      await page.close();
    } finally {
      await new Promise((resolve) => embedder.close(resolve));
    }
  });

  it('switches the system off from the console after confirming, and the client hears it', async () => {
    const heard = client.nextBroadcast('system_status_update');
    await console_.keyboard.press('a');
    const dialog = console_.getByRole('dialog', { name: 'Switch the system off?' });
    await dialog.getByRole('button', { name: 'Switch off' }).click();
    expect((await heard).data).toMatchObject({ active: false });
    await console_.locator('[role="switch"][aria-checked="false"]').waitFor({ timeout: WITHIN_A_SECOND });
    await console_.getByText('The system is inactive', { exact: false }).waitFor();
  });

  it('ran without uncaught errors or Content-Security-Policy violations', () => {
    expect(problems).toEqual([]);
  });
});
