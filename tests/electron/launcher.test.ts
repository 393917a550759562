import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { executableName, findRuntime } from '../../server/launcher/electron-runtime.js';
import { cannotInstall, DEFAULT_TIMEOUT_S, downloadTimeout, failureReason, installRuntime } from '../../server/launcher/install-runtime.js';
import { REPO_ROOT } from '../support/cli-process.js';
import { startMirror } from './electron-mirror.js';

const ELECTRON_PACKAGE = path.join(REPO_ROOT, 'node_modules', 'electron');

const RUNTIME_INSTALLED = existsSync(path.join(ELECTRON_PACKAGE, 'path.txt'));
const made: string[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('finding the runtime', () => {
  it('names the executable of each platform as Electron’s installer does', () => {
    expect(executableName('linux')).toBe('electron');
    expect(executableName('win32')).toBe('electron.exe');
    expect(executableName('darwin')).toBe('Electron.app/Contents/MacOS/Electron');
  });

  it('takes ELECTRON_OVERRIDE_DIST_PATH’s executable for the platform when path.txt is absent', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pileup-override-'));
    made.push(dir);
    await writeFile(path.join(dir, 'electron.exe'), '');
    expect(findRuntime(import.meta.url, { ELECTRON_OVERRIDE_DIST_PATH: dir }, 'win32')).toEqual({
      state: 'installed',
      binary: path.join(dir, 'electron.exe'),
    });
  });

  it('says the electron package is missing (an install without development dependencies)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pileup-no-electron-'));
    made.push(dir);
    await mkdir(path.join(dir, 'node_modules'));
    expect(findRuntime(path.join(dir, 'start.js'), {})).toMatchObject({ state: 'unavailable', reason: expect.stringContaining('electron package is not installed') });
  });

  it.skipIf(RUNTIME_INSTALLED)('finds this project’s electron package downloadable when its binary is not there', () => {
    expect(findRuntime(import.meta.url, {})).toMatchObject({ state: 'downloadable', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });
});

describe('whether the installer can run', () => {
  it('runs where Node loads ES modules from require() (22.12+, 20.19+)', () => {
    expect(cannotInstall({}, { require_module: true })).toBeNull();
  });

  it('names the Node Electron’s installer needs on an older one', () => {
    expect(cannotInstall({}, { require_module: false })).toBe(`Electron's installer needs Node 22.12 or later (this is Node ${process.version})`);
    expect(cannotInstall({}, {})).toMatch(/needs Node 22\.12 or later/);
  });

  it('honours ELECTRON_SKIP_BINARY_DOWNLOAD', () => {
    expect(cannotInstall({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, { require_module: true })).toBe('ELECTRON_SKIP_BINARY_DOWNLOAD is set');
  });
});

describe('the time limit', () => {
  it(`is ${DEFAULT_TIMEOUT_S} s unless PILEUP_ELECTRON_DOWNLOAD_TIMEOUT says otherwise`, () => {
    expect(downloadTimeout({})).toEqual({ seconds: DEFAULT_TIMEOUT_S });
    expect(downloadTimeout({ PILEUP_ELECTRON_DOWNLOAD_TIMEOUT: '90' })).toEqual({ seconds: 90 });
  });

  it.each(['0', '-5', 'ten', 'Infinity'])('refuses %s', (value) => {
    expect(downloadTimeout({ PILEUP_ELECTRON_DOWNLOAD_TIMEOUT: value })).toEqual({
      error: `PILEUP_ELECTRON_DOWNLOAD_TIMEOUT=${value} is not a number of seconds above 0`,
    });
  });
});

describe('the progress line on a terminal', () => {
  it.skipIf(RUNTIME_INSTALLED)('counts up in place, and is cleared when the installer stops', async () => {
    const host = await startMirror('silent');
    const cache = await mkdtemp(path.join(os.tmpdir(), 'pileup-electron-cache-'));
    made.push(cache);
    const written: string[] = [];
    const out = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.WriteStream;
    out.on('data', (chunk: Buffer) => written.push(chunk.toString('utf8')));
    const stop = new AbortController();
    // Without an .npmrc's Electron settings, which would win over ELECTRON_MIRROR.
    const inherited = Object.entries(process.env).filter(([name]) => !/^(electron_|npm_config_electron|npm_package_config_electron)/i.test(name));
    const env = { ...Object.fromEntries(inherited), ELECTRON_MIRROR: host.url, electron_config_cache: cache };
    const installing = installRuntime({ packageDir: ELECTRON_PACKAGE, version: '45.5.0', env, timeoutS: 600, out, signal: stop.signal });
    try {
      // The installer never gets an answer: the line keeps counting until it is stopped.
      await vi.waitFor(() => expect(written.join('')).toMatch(/\r.*: \d+\.\d MB, \d+ s/), { timeout: 30_000 });
      stop.abort();
      expect(await installing).toEqual({ ok: false, reason: 'stopped' });
    } finally {
      stop.abort();
      await host.close();
    }
    expect(written[0]).toMatch(/^Downloading the Electron 45\.5\.0 runtime .*Ctrl\+C to stop\)$/);
    expect(written.at(-1)).toBe('\r\x1b[2K');
  });
});

describe('the reason a download failed', () => {
  it('is the first error line the installer printed, without its stack', () => {
    const output = [
      'HTTPError: Response code 404 (Not Found) for http://127.0.0.1:9/v45.5.0/electron-v45.5.0-linux-x64.zip',
      '    at FetchDownloader.download (file:///x/FetchDownloader.js:49:23)',
    ].join('\n');
    expect(failureReason(output, 1)).toBe('HTTPError: Response code 404 (Not Found) for http://127.0.0.1:9/v45.5.0/electron-v45.5.0-linux-x64.zip');
  });

  it('explains Node’s bare “fetch failed”', () => {
    expect(failureReason('TypeError: fetch failed\n    at node:internal/deps/undici/undici:1:1\n', 1)).toBe(
      'TypeError: fetch failed: no connection to the download host',
    );
  });

  it('falls back to the last line, then to the exit code', () => {
    expect(failureReason('something odd\nmore odd\n', 1)).toBe('more odd');
    expect(failureReason('', 7)).toBe('the installer exited with code 7');
  });
});
