/**
 * The static public site (`npm run build:public-site`) in a real headless Chromium, served by a
 * plain static file server on another port than anything of the station's, talking to a real
 * nats-server's WebSocket (allowed_origins: that site only) — the way a phone anywhere reaches a
 * station behind NAT. A caller registers through the relay; the console hears it; the status
 * card shows it; the station stops and the page says so; the station dies without a word and the
 * page says so once its heartbeat is older than 45 s (Chromium's clock is moved forward).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, killAllClis, REPO_ROOT, spawnCli } from '../support/cli-process.js';
import { activeAdmin, type TestClient, type TestServer } from '../support/harness.js';
import { killAllNatsServers, type NatsServer, natsServerMissing, natsSuite, startNatsServer } from '../support/nats-server.js';
import { relayEnv, startRelayedStation } from '../support/relay.js';
import { serveFolder, type StaticServer } from '../support/static-server.js';
import { e2eRequired } from '../support/e2e-required.js';
import { chromiumMissing, launchChromium, warnIfSkipped } from './chromium.js';

const execFileAsync = promisify(execFile);
const STATION = { id: 'ea8abc', password: 'station-password-1' };
const RELAY_ENV = relayEnv(STATION);

warnIfSkipped();
const suite = (chromiumMissing || natsServerMissing) && !e2eRequired ? describe.skip : natsSuite(describe);

suite('the static public site in a real browser, over the relay', () => {
  let dir: string;
  let nats: NatsServer;
  let site: StaticServer;
  let server: TestServer | undefined;
  let console_: TestClient;
  let browser: Browser;
  const problems: string[] = [];

  async function newPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 420, height: 800 } });
    page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to connect/i.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
    });
    return page;
  }

  const connection = (page: Page) => page.getByRole('status', { name: 'Connection' });

  beforeAll(async () => {
    await ensureBuilt();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pileup-public-site-'));
    const folder = path.join(dir, 'site');
    // The site's address must be known before nats-server starts (allowed_origins): a port first.
    site = await serveFolder(folder);
    nats = await startNatsServer({ dir, stations: [STATION], allowedOrigins: [site.origin] });
    await execFileAsync(
      process.execPath,
      [path.join(REPO_ROOT, 'build', 'public-site.mjs'), '--ws-url', nats.wsUrl, '--station-id', STATION.id, '--out', folder],
      { cwd: REPO_ROOT },
    );
    [browser, server] = await Promise.all([launchChromium(), startRelayedStation(nats, STATION, { env: { MAX_QUEUE_SIZE: '10' } })]);
    console_ = await activeAdmin(server as TestServer);
  }, 120_000);

  afterAll(async () => {
    await console_?.close();
    await server?.dispose();
    await browser?.close();
    await killAllClis();
    await site?.close();
    await nats?.stop();
    await killAllNatsServers();
    await rm(dir, { recursive: true, force: true });
  });

  it('registers a caller through the relay, and the console hears it', async () => {
    const page = await newPage();
    await page.goto(`${site.origin}/`);
    await connection(page).filter({ hasText: 'Connected' }).waitFor();
    const heard = console_.nextBroadcast('queue_update', (m) => (m.data as { affected_callsign: string }).affected_callsign === 'EA1ABC');
    await page.getByRole('textbox', { name: 'Your callsign' }).fill(' ea1abc ');
    await page.getByRole('button', { name: 'Join the queue' }).click();
    await page.getByText('EA1ABC is in the queue at position 1 of 1.').waitFor();
    await heard;
    expect(server?.service.status().queue.map((entry) => entry.callsign)).toEqual(['EA1ABC']);
    // Changes made on the station show on the page by themselves.
    expect((await console_.request('register_callsign', { callsign: 'DL1ABC' })).type).toBe('success');
    await page.getByRole('list', { name: 'Waiting stations' }).getByText('DL1ABC').waitFor();
    await page.close();
  });

  it('shows the status card from the relay', async () => {
    const page = await newPage();
    await page.goto(`${site.origin}/status.html`);
    await page.getByText('Queue 2/10').waitFor();
    await page.close();
  });

  it('says "station offline" when the station stops', async () => {
    const page = await newPage();
    await page.goto(`${site.origin}/`);
    await connection(page).filter({ hasText: 'Connected' }).waitFor();
    await console_.close();
    await server?.dispose();
    server = undefined;
    await connection(page).filter({ hasText: 'Station offline' }).waitFor();
    expect(await page.getByRole('button', { name: 'Join the queue' }).isDisabled()).toBe(true);
    await page.close();
  });

  it('says "station offline" once the heartbeat of a station that died without a word is older than 45 s', async () => {
    const dataDir = path.join(dir, 'station');
    const station = spawnCli(['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--relay', nats.url, '--station-id', STATION.id], RELAY_ENV);
    await station.waitForStdout(/Press Ctrl\+C to stop\./);
    const page = await newPage();
    await page.clock.install();
    await page.goto(`${site.origin}/`);
    await connection(page).filter({ hasText: 'Connected' }).waitFor({ timeout: 20_000 });
    station.child.kill('SIGKILL');
    await station.exited;
    await page.clock.fastForward(20_000);
    expect(await connection(page).textContent()).toBe('Connected');
    await page.clock.fastForward(30_000);
    await connection(page).filter({ hasText: 'Station offline — last heard' }).waitFor();
    await page.close();
  }, 60_000);

  it('ran without a page error or a CSP violation', () => {
    expect(problems).toEqual([]);
  });
});
