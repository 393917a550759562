import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { shellPaths } from '../../electron/paths.js';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

/** Width and height from a PNG's IHDR chunk. */
async function pngSize(file: string): Promise<[number, number]> {
  const bytes = await readFile(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('desktop build', () => {
  let outDir: string;

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'pileup-electron-build-'));
    await promisify(execFile)(
      process.execPath,
      [path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js'), 'build', '--outDir', outDir, '--logLevel', 'error', '--ignoreConfigWarning'],
      { cwd: root },
    );
  });

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('puts the main bundle where package.json "main" points and the preload where the window looks', async () => {
    const { main } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(main).toBe('out/main/main.js');
    expect(existsSync(path.join(outDir, 'main', 'main.js'))).toBe(true);
    expect(shellPaths(root, '', false).preload).toBe(path.join(root, 'out', 'preload', 'preload.cjs'));
    expect(existsSync(path.join(outDir, 'preload', 'preload.cjs'))).toBe(true);
  });

  it('bundles the preload into one CommonJS file that requires nothing but electron', async () => {
    const code = await readFile(path.join(outDir, 'preload', 'preload.cjs'), 'utf8');
    const required = [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
    expect(required).toEqual(['electron']);

    // A sandboxed preload gets a `require` for `electron` and a few built-ins only: run it so.
    const exposeInMainWorld = vi.fn();
    const electron = { contextBridge: { exposeInMainWorld }, ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() } };
    const sandboxRequire = (id: string) => {
      if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
      return electron;
    };
    const module = { exports: {} };
    vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports });
    expect(exposeInMainWorld).toHaveBeenCalledWith('pileup', expect.anything());
    expect(Object.keys(exposeInMainWorld.mock.calls[0]?.[1] as object).sort()).toEqual(['info', 'onBroadcast', 'request']);
  });
});

describe('packaging', () => {
  interface BuilderConfig {
    appId: string;
    productName: string;
    electronFuses: Record<string, boolean>;
    extraResources: { from: string; to: string; filter: string[] }[];
    linux: { target: string[]; icon: string };
    win: { target: string };
    mac: { target: string[] };
  }
  interface ConfigApi {
    getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<BuilderConfig>;
    validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
  }
  // electron-builder's own loader and schema check: no download, unlike a real `npm run dist`.
  const builderRequire = createRequire(require.resolve('electron-builder/package.json'));
  const configApi = builderRequire('app-builder-lib/out/util/config/config') as ConfigApi;
  const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

  let config: BuilderConfig;

  beforeAll(async () => {
    config = await configApi.getConfig(root, path.join(root, 'electron-builder.yml'), null);
  });

  it('is a valid electron-builder configuration', async () => {
    await expect(configApi.validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('builds Pileup Buster as AppImage and deb, an NSIS installer and a dmg (with the zip the updater fetches)', () => {
    expect(config).toMatchObject({
      appId: 'org.pileupbuster.desktop',
      productName: 'Pileup Buster',
      linux: { target: ['AppImage', 'deb'], icon: 'build/icon.png' },
      win: { target: 'nsis' },
      mac: { target: ['dmg', 'zip'] },
    });
  });

  it('flips the fuses, keeping the inspect flags Playwright needs', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('ships the tray icons beside the archive, where the packaged app looks for them', () => {
    expect(config.extraResources).toContainEqual({ from: 'build/tray', to: 'tray', filter: ['*.png'] });
    expect(shellPaths('/app.asar', '/resources', true).trayIcons).toBe(path.join('/resources', 'tray'));
  });

  it('has a 1024×1024 app icon and 16 px tray icons with 2× versions', async () => {
    expect(await pngSize(path.join(root, 'build', 'icon.png'))).toEqual([1024, 1024]);
    for (const state of ['active', 'inactive']) {
      expect(await pngSize(path.join(root, 'build', 'tray', `tray-${state}.png`))).toEqual([16, 16]);
      expect(await pngSize(path.join(root, 'build', 'tray', `tray-${state}@2x.png`))).toEqual([32, 32]);
    }
  });
});
