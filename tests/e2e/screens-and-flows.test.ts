/**
 * The console on every screen size, and the second round of flows, end to end in a real
 * headless Chromium against the headless server (`node dist/server/headless.js`): a phone (390×844,
 * touch), a small laptop (1024×600) and a common one (1366×768) — no horizontal scrolling, every
 * queue row and its actions reachable, the log's columns all visible or collapsed into rows;
 * then, on the phone, the frequency in kHz, F, the ban dialog and its undo, the no-show, the map
 * and the rates; the public page in Japanese with "am I in the log?"; the status card's QR code.
 * Screenshots go to a temp folder, or to docs/screenshots/ with UPDATE_SCREENSHOTS=1.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, killAllClis, startCli } from '../support/cli-process.js';
import { TestClient } from '../support/harness.js';
import { e2eRequired } from '../support/e2e-required.js';
import { chromiumMissing, E2E_OPERATOR, launchChromium, SCREENSHOTS, warnIfSkipped, watchForProblems } from './chromium.js';
import { ensureRendererBuilt } from './renderer-build.js';

const OPERATOR = E2E_OPERATOR;

/** Callers from every continent; G0ABC/P and G0ABC are two forms of one call (the ban covers both). */
const CALLERS = ['JA1XYZ', 'W1AW', 'VK2DEF', 'G0ABC/P', 'PY2ABC', 'ZS6ABC', 'UA9ABC', 'KH6ABC', 'VE3ABC', 'G0ABC'];

const SIZES: { name: string; viewport: { width: number; height: number }; phone: boolean }[] = [
  { name: 'phone', viewport: { width: 390, height: 844 }, phone: true },
  { name: '1024', viewport: { width: 1024, height: 600 }, phone: false },
  { name: '1366', viewport: { width: 1366, height: 768 }, phone: false },
];

/**
 * The page's globals, as far as the checks below read them inside the browser (`page.evaluate`):
 * the test suite compiles without the DOM library, so they are declared here, for this file only.
 */
interface BoxLike {
  left: number;
  right: number;
  width: number;
}
interface ElementLike {
  textContent: string | null;
  getBoundingClientRect(): BoxLike;
}
declare const document: {
  documentElement: { clientWidth: number; scrollWidth: number; lang: string };
  scrollingElement: { scrollWidth: number; clientWidth: number } | null;
  querySelector(selector: string): ElementLike | null;
  querySelectorAll(selector: string): Iterable<ElementLike>;
};
declare const window: { scrollTo(x: number, y: number): void };

warnIfSkipped();
const suite = chromiumMissing && !e2eRequired ? describe.skip : describe;

suite('every screen size and the new flows in a real browser', () => {
  let dataDir: string;
  let origin: string;
  let browser: Browser;
  let client: TestClient;
  let phone: Page;
  const problems: string[] = [];

  async function open(pathname: string, options: BrowserContextOptions): Promise<Page> {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    watchForProblems(page, problems);
    await page.goto(`${origin}${pathname}`);
    return page;
  }

  async function openConsole(size: (typeof SIZES)[number]): Promise<Page> {
    const page = await open('/admin', { viewport: size.viewport, hasTouch: size.phone, isMobile: size.phone });
    await page.getByLabel('Username').fill(OPERATOR.username);
    await page.getByLabel('Password').fill(OPERATOR.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('list', { name: 'Waiting stations' }).waitFor();
    // The bearings come with the station's locator: the rows are complete once they show.
    await page.locator('.queue-bearing').first().waitFor();
    return page;
  }

  const horizontalOverflow = (page: Page) =>
    page.evaluate(() => {
      const root = document.scrollingElement ?? document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });

  /** The box of `selector`'s elements that lie (partly) outside the viewport's width, as text. */
  const outsideViewport = (page: Page, selector: string) =>
    page.evaluate((query) => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll(query)]
        .map((element) => ({ element, box: element.getBoundingClientRect() }))
        .filter(({ box }) => box.left < 0 || box.right > width + 0.5)
        .map(({ element, box }) => `${element.textContent?.trim()} [${box.left.toFixed(0)}–${box.right.toFixed(0)} of ${width}]`);
    }, selector);

  beforeAll(async () => {
    await Promise.all([ensureBuilt(), ensureRendererBuilt(), mkdir(SCREENSHOTS, { recursive: true })]);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pileup-e2e-screens-'));
    const [launched, server] = await Promise.all([
      launchChromium(),
      startCli(dataDir, { ADMIN_USERNAME: OPERATOR.username, ADMIN_PASSWORD: OPERATOR.password, MAX_QUEUE_SIZE: '20' }),
    ]);
    browser = launched;
    origin = server.url.replace(/^ws:/, 'http:').replace(/\/api\/ws$/, '');
    client = await TestClient.connect(server.url);
    await client.login(OPERATOR);
    await client.admin('admin_toggle_system', { active: true });
    await client.admin('admin_set_station', { callsign: 'EA8/DL1ABC', locator: 'IL18rj', beam_heading: 45, public_beam_heading: true });
    await client.admin('admin_set_frequency', { frequency: '14195', mode: 'SSB' });
    for (const [callsign, rst] of [['EA1ABC', '57'], ['JA7XYZ', '55'], ['OH2ABC', '59']] as const) {
      await client.admin('admin_send_qso', { callsign, rst_sent: '59', rst_received: rst });
    }
    await client.admin('admin_complete_qso');
    for (const callsign of CALLERS) expect(await client.request('register_callsign', { callsign })).toMatchObject({ type: 'success' });
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await killAllClis();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  for (const size of SIZES) {
    it(`at ${size.viewport.width}×${size.viewport.height} scrolls no page sideways, and reaches every queue row and action`, async () => {
      const page = await openConsole(size);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      const rows = page.getByRole('list', { name: 'Waiting stations' }).getByRole('listitem');
      expect(await rows.count()).toBe(CALLERS.length);
      for (const callsign of CALLERS) {
        for (const action of ['Work this', 'Remove', 'Ban']) {
          const button = page.getByRole('button', { name: `${action} ${callsign}`, exact: true });
          await button.scrollIntoViewIfNeeded();
          const box = await button.boundingBox();
          expect(box, `${action} ${callsign}`).not.toBeNull();
          expect(box!.x).toBeGreaterThanOrEqual(0);
          expect(box!.x + box!.width).toBeLessThanOrEqual(size.viewport.width);
          // Fingers need about 44 px.
          if (size.phone) expect(box!.height).toBeGreaterThanOrEqual(44);
        }
      }
      expect(await outsideViewport(page, '.queue-row, .card, .console-header')).toEqual([]);
      if (size.phone) {
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: path.join(SCREENSHOTS, 'console-phone.png'), fullPage: true });
        phone = page;
      } else {
        await page.context().close();
      }
    });

    it(`at ${size.viewport.width}×${size.viewport.height} shows every log column, or every value in a collapsed row`, async () => {
      const page = size.phone ? phone : await openConsole(size);
      await page.getByRole('tab', { name: 'QSO log' }).click();
      const table = page.locator('.log-table');
      await table.getByRole('cell', { name: 'OH2ABC', exact: true }).waitFor();
      const clipped = await page.evaluate(() => {
        const panel = document.querySelector('.log')?.getBoundingClientRect();
        if (panel === undefined) return ['no log'];
        return [...document.querySelectorAll('.log-table tbody td')]
          .filter((cell) => cell.textContent?.trim() !== '')
          .filter((cell) => {
            const box = cell.getBoundingClientRect();
            return box.width === 0 || box.left < panel.left - 0.5 || box.right > panel.right + 0.5;
          })
          .map((cell) => cell.textContent ?? '');
      });
      expect(clipped).toEqual([]);
      const rst = table.getByRole('cell', { name: '59/57', exact: true });
      await rst.scrollIntoViewIfNeeded();
      expect(await rst.isVisible()).toBe(true);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      if (!size.phone) await page.context().close();
    });
  }

  it('on the phone, takes a frequency typed in kHz after F (14200 → 14.2 MHz), and refuses one outside the bands', async () => {
    await phone.evaluate(() => window.scrollTo(0, 0));
    await phone.keyboard.press('f');
    const heard = client.nextBroadcast('frequency_update');
    await phone.keyboard.type('14200');
    await phone.keyboard.press('Enter');
    expect((await heard).data).toMatchObject({ frequency: '14.2' });
    await phone.getByRole('textbox', { name: 'MHz or kHz' }).fill('14500');
    await phone.getByRole('button', { name: 'Set frequency' }).click();
    await phone.getByRole('alert').filter({ hasText: 'is outside the amateur bands' }).waitFor();
  });

  it('on the phone, bans with a reason (Enter confirms) both forms of a call, and Undo gives them their places back', async () => {
    const banned = client.nextBroadcast('controls_update');
    await phone.getByRole('button', { name: 'Ban G0ABC/P', exact: true }).tap();
    const dialog = phone.getByRole('dialog', { name: 'Ban G0ABC/P?' });
    await dialog.getByLabel('Reason (only you see it)').fill('tuning on frequency');
    await phone.keyboard.press('Enter');
    expect((await banned).data).toMatchObject({ change_type: 'banned', affected_callsign: 'G0ABC/P' });
    await phone.getByText('G0ABC/P is banned (every form of the call); taken out of the queue: G0ABC/P, G0ABC.').waitFor();
    expect(await phone.getByRole('button', { name: 'Ban G0ABC', exact: true }).count()).toBe(0);
    const restored = client.nextBroadcast('queue_update', (m) => (m.data as { change_type: string }).change_type === 'restored');
    await phone.getByRole('button', { name: 'Undo' }).tap();
    await restored;
    await phone.getByRole('button', { name: 'Ban G0ABC', exact: true }).waitFor();
    await phone.getByRole('button', { name: 'Ban G0ABC/P', exact: true }).waitFor();
  });

  it('on the phone, a no-show puts the caller back behind the next three with a mark', async () => {
    await phone.evaluate(() => window.scrollTo(0, 0));
    await phone.getByRole('button', { name: /^Work next/ }).tap();
    const card = phone.getByRole('region', { name: 'Current QSO' });
    await card.getByText('JA1XYZ', { exact: true }).waitFor();
    const noShow = client.nextBroadcast('queue_update', (m) => (m.data as { change_type: string }).change_type === 'no_show');
    await card.getByRole('button', { name: /No-show/ }).tap();
    await noShow;
    const row = phone.getByRole('list', { name: 'Waiting stations' }).getByRole('listitem').nth(3);
    await row.getByText('no-show ×1').waitFor();
    expect(await row.locator('.queue-callsign').textContent()).toBe('JA1XYZ');
  });

  it('on the phone, shows the map centred on the station and the rates', async () => {
    await phone.getByRole('tab', { name: 'Map' }).tap();
    const map = phone.getByRole('img', { name: /World map centred on IL18rj/ });
    await map.waitFor();
    expect(await phone.locator('.map-mark.is-waiting').count()).toBe(CALLERS.length);
    expect(await phone.locator('.map-beam').count()).toBe(1);
    await map.scrollIntoViewIfNeeded();
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    await map.screenshot({ path: path.join(SCREENSHOTS, 'console-map.png') });
    await phone.getByRole('tab', { name: 'Rates' }).tap();
    await phone.getByLabel('QSO rate, QSOs per hour').waitFor();
    await phone.getByRole('region', { name: 'By band' }).getByText('20m').waitFor();
    await phone.context().close();
  });

  it('shows the map and the rates on a laptop screen too', async () => {
    const page = await openConsole(SIZES[2]!);
    await page.getByRole('tab', { name: 'Map' }).click();
    await page.locator('.map-mark.is-waiting').first().waitFor();
    await page.getByRole('tab', { name: 'Rates' }).click();
    await page.getByLabel('QSO rate, QSOs per hour').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-rates.png') });
    await page.context().close();
  });

  it('serves the public page in the caller’s language, with "am I in the log?" and the recent list', async () => {
    const page = await open('/', { viewport: { width: 390, height: 844 }, locale: 'ja-JP', hasTouch: true, isMobile: true });
    await page.getByRole('heading', { name: '順番待ちに登録' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja');
    await page.getByRole('list', { name: '最近交信した局' }).getByText('OH2ABC').waitFor();
    await page.getByText('45°').waitFor();
    await page.getByRole('textbox', { name: 'コールサイン', exact: true }).fill('ea1abc');
    await page.getByRole('button', { name: '検索' }).tap();
    await page.getByText('EA1ABC はログにあります:').waitFor();
    expect(await page.locator('.worked-slots').textContent()).toContain('20m SSB');
    await page.getByRole('textbox', { name: 'あなたのコールサイン' }).fill('ja1abc');
    await page.getByRole('textbox', { name: 'あなたのグリッドロケーター(任意)' }).fill('pm95');
    const registered = client.nextBroadcast('queue_update', (m) => (m.data as { affected_callsign: string }).affected_callsign === 'JA1ABC');
    await page.getByRole('button', { name: '登録する' }).tap();
    await registered;
    await page.getByText(/JA1ABC は順番待ちの/).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'public-ja.png'), fullPage: true });
    await page.getByRole('combobox', { name: '言語' }).selectOption('en');
    await page.getByRole('heading', { name: 'Join the queue' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Join the queue' }).waitFor();
    await page.context().close();
  });

  it('puts a QR code of the public page on the status card', async () => {
    const page = await open('/status', { viewport: { width: 340, height: 140 } });
    const qr = page.getByRole('img', { name: 'QR code of the page to join the queue' });
    await qr.waitFor();
    expect(await qr.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await page.context().close();
  });

  it('ran without uncaught errors or Content-Security-Policy violations', () => {
    expect(problems).toEqual([]);
  });
});
