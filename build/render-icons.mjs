/**
 * Renders the SVG sources in build/ to the PNGs electron-builder and the tray use:
 * `node build/render-icons.mjs`. It drives a headless Chromium through playwright-core (a dev
 * dependency), so the PNGs match what a browser draws; set CHROMIUM_PATH if Chromium lives
 * elsewhere. The PNGs are committed: packaging and CI never run this.
 */
/* global console, process */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

const OUTPUTS = [
  { source: 'icon.svg', target: 'icon.png', size: 1024 },
  { source: 'tray-active.svg', target: 'tray/tray-active.png', size: 16 },
  { source: 'tray-active.svg', target: 'tray/tray-active@2x.png', size: 32 },
  { source: 'tray-inactive.svg', target: 'tray/tray-inactive.png', size: 16 },
  { source: 'tray-inactive.svg', target: 'tray/tray-inactive@2x.png', size: 32 },
];

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const executablePath = process.env.CHROMIUM_PATH ?? CANDIDATES.find((candidate) => existsSync(candidate));
if (!executablePath) {
  console.error('render-icons: no Chromium found; install it (apt-get install chromium) or set CHROMIUM_PATH');
  process.exit(1);
}

const browser = await chromium.launch({ executablePath });
try {
  for (const { source, target, size } of OUTPUTS) {
    const svg = await readFile(path.join(here, source), 'utf8');
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:100vw;height:100vh}</style>${svg}`,
    );
    await page.screenshot({ path: path.join(here, target), omitBackground: true });
    await page.close();
    console.log(`build/${target} (${size}×${size})`);
  }
} finally {
  await browser.close();
}
