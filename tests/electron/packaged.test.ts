/**
 * The packaged layout: electron-builder builds linux `dir` from the project's own
 * electron-builder.yml, with a stand-in Electron distribution (the real one cannot be downloaded
 * here), then the test reads app.asar and starts the packaged main bundle from it under Node, with
 * the fake `electron` module, as the installed app would start.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import asar from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Desktop } from '../../electron/main.js';
import { ensureBuilt, REPO_ROOT } from '../support/cli-process.js';
import type { FakeElectron } from './fake-electron.js';
import { fuseWire, writeStandInDistribution } from './stand-in-electron.js';

const require = createRequire(import.meta.url);
const PAGES = ['index.html', 'admin.html', 'status.html'];
/** What the release workflow passes, so that the feed names the repository. */
const FEED = { owner: 'pileup-buster', repo: 'pileup-buster-desktop' };

interface LockEntry {
  name?: string;
  version?: string;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
}

let work: string;
let resources: string;
let archive: string;
let entries: string[];
let buildSeconds: number;

/** Package folders (`node_modules/a`, `node_modules/@s/b`, `node_modules/a/node_modules/c`). */
function packageDirs(paths: string[]): string[] {
  return paths.filter((entry) => /(^|\/)node_modules\/(@[^/]+\/)?[^/@][^/]*$/.test(entry)).sort();
}

/** `name@version` of every package npm installs for production, nested ones included. */
async function runtimePackages(): Promise<string[]> {
  const lock = JSON.parse(await readFile(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  return Object.entries(lock.packages)
    .filter(([at, entry]) => at !== '' && !entry.dev && !entry.devOptional && !entry.optional)
    .map(([at, entry]) => `${entry.name ?? at.replace(/^.*node_modules\//, '')}@${entry.version}`)
    .sort();
}

/**
 * `name@version` of every package in the archive. electron-builder may hoist a nested package
 * (one that only a runtime dependency uses, in another version than a development one at the top
 * of node_modules), so the folders differ from the lock file's; the packages may not.
 */
function packedPackages(): string[] {
  return packageDirs(entries)
    .map((dir) => JSON.parse(asar.extractFile(archive, `${dir}/package.json`).toString('utf8')) as LockEntry)
    .map((manifest) => `${manifest.name}@${manifest.version}`)
    .sort();
}

beforeAll(async () => {
  await ensureBuilt();
  for (const built of ['out/main/main.js', 'out/preload/preload.cjs', 'dist/renderer/admin.html']) {
    if (!existsSync(path.join(REPO_ROOT, built))) throw new Error(`${built} is missing: run npm run build first`);
  }
  work = await mkdtemp(path.join(os.tmpdir(), 'pileup-packaged-'));
  const { version } = JSON.parse(await readFile(require.resolve('electron/package.json'), 'utf8')) as { version: string };
  await writeStandInDistribution(path.join(work, 'electron-dist'), version);
  const started = performance.now();
  await promisify(execFile)(
    process.execPath,
    [
      path.join(path.dirname(require.resolve('electron-builder/package.json')), 'cli.js'),
      '--linux',
      'dir',
      '--config',
      'electron-builder.yml',
      `-c.electronDist=${path.join(work, 'electron-dist')}`,
      `-c.directories.output=${path.join(work, 'release')}`,
      `-c.publish.owner=${FEED.owner}`,
      `-c.publish.repo=${FEED.repo}`,
    ],
    { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
  );
  buildSeconds = (performance.now() - started) / 1000;
  resources = path.join(work, 'release', 'linux-unpacked', 'resources');
  archive = path.join(resources, 'app.asar');
  entries = asar.listPackage(archive, { isPack: false }).map((entry) => entry.replace(/^[/\\]/, '').split(path.sep).join('/'));
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('app.asar', () => {
  it('holds the main bundle, the preload, the three pages and every asset the build made', async () => {
    const { size } = await stat(archive);
    console.log(`electron-builder linux dir: ${buildSeconds.toFixed(1)} s; app.asar: ${entries.length} entries, ${(size / 2 ** 20).toFixed(1)} MiB`);
    expect(entries).toEqual(expect.arrayContaining(['package.json', 'out/main/main.js', 'out/preload/preload.cjs']));
    const built = (await readdir(path.join(REPO_ROOT, 'dist', 'renderer'), { recursive: true }))
      .map((file) => `dist/renderer/${file.split(path.sep).join('/')}`)
      .sort();
    expect(built).toEqual(expect.arrayContaining(PAGES.map((page) => `dist/renderer/${page}`)));
    expect(entries.filter((entry) => entry.startsWith('dist/renderer/')).sort()).toEqual(built);
  });

  it('holds nothing of ours but those: no sources, tests or source maps', () => {
    const ours = entries.filter((entry) => !entry.startsWith('node_modules'));
    const allowed = /^(package\.json|out|out\/(main|preload)|out\/main\/main\.js|out\/preload\/preload\.cjs|dist|dist\/renderer(\/[a-z]+\.html|\/assets(\/[\w-]+\.(js|css))?)?)$/;
    expect(ours.filter((entry) => !allowed.test(entry))).toEqual([]);
  });

  it('holds no TypeScript, declarations or source maps anywhere, dependencies included', () => {
    expect(entries.filter((entry) => /\.(ts|tsx|cts|mts|map)$/.test(entry))).toEqual([]);
  });

  it('holds every runtime dependency, nested ones included, and no development dependency', async () => {
    const expected = await runtimePackages();
    const names = expected.map((pkg) => pkg.replace(/(.)@.*$/, '$1'));
    expect(names).toEqual(expect.arrayContaining(['ws', 'zod', 'adif-parser-ts', 'electron-updater']));
    // The store writes NeDB's format itself; NeDB is only a development dependency (the format test).
    expect(names).not.toContain('nedb-promises');
    expect(names).toEqual(expect.arrayContaining(['@ham2k/lib-callsigns', '@ham2k/lib-country-files']));
    expect(packedPackages()).toEqual(expected);
  });

  it('keeps the runtime version and the module type in its package.json, and drops the development parts', async () => {
    const packed = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as Record<string, unknown>;
    const own = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(packed).toMatchObject({ version: own.version, type: 'module', main: 'out/main/main.js', dependencies: own.dependencies });
    expect(packed).not.toHaveProperty('devDependencies');
  });
});

describe('beside app.asar', () => {
  it('has the tray icons, both states at 1× and 2×', async () => {
    expect((await readdir(path.join(resources, 'tray'))).sort()).toEqual([
      'tray-active.png',
      'tray-active@2x.png',
      'tray-inactive.png',
      'tray-inactive@2x.png',
    ]);
  });

  it('has the update feed electron-updater reads: the project’s GitHub releases', async () => {
    const feed = parseYaml(await readFile(path.join(resources, 'app-update.yml'), 'utf8')) as Record<string, unknown>;
    expect(feed).toMatchObject({ provider: 'github', ...FEED });
  });

  it('has an executable whose fuses were flipped as electron-builder.yml says', async () => {
    const executable = path.join(work, 'release', 'linux-unpacked', 'pileup-buster-desktop');
    // RunAsNode off, cookie encryption on, NODE_OPTIONS off, inspect on, asar integrity on,
    // only-asar on, V8 snapshot untouched (off), file:// privileges on.
    expect(fuseWire(await readFile(executable))).toBe('01011101');
  });
});

describe('the packaged main bundle, started under Node with a fake electron', () => {
  let app: string;
  let electron: FakeElectron;
  let desktop: Desktop | null = null;
  let dataDir: string;
  // Electron sets it and declares it read-only; under Node the test sets it as Electron would.
  const processWithResources = process as { resourcesPath?: string };
  const resourcesPath = processWithResources.resourcesPath;
  const argv = process.argv;
  const signals = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };

  beforeAll(async () => {
    app = path.join(work, 'app');
    asar.extractAll(archive, app);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pileup-packaged-data-'));
    vi.stubEnv('PILEUP_DATA_DIR', dataDir);
    vi.stubEnv('ADMIN_PASSWORD', 'packaged-password-1');
    vi.doMock('electron', async () => {
      const fake = (await import('./fake-electron.js')).createFakeElectron();
      // As Electron reports it for an installed app: the archive is the app's folder.
      fake.app.isPackaged = true;
      vi.spyOn(fake.app, 'getAppPath').mockReturnValue(app);
      return fake;
    });
    electron = (await import('electron')) as unknown as FakeElectron;
    processWithResources.resourcesPath = resources;
    process.argv = [argv[0] ?? 'pileup-buster-desktop', '--host=127.0.0.1', '--port=0'];
    const main = (await import(pathToFileURL(path.join(app, 'out', 'main', 'main.js')).href)) as typeof import('../../electron/main.js');
    desktop = await main.launched;
  }, 60_000);

  afterAll(async () => {
    if (desktop && !electron.app.quitted) {
      electron.app.quit();
      await vi.waitFor(() => expect(electron.app.quitted).toBe(true), { timeout: 30_000 });
    }
    processWithResources.resourcesPath = resourcesPath;
    process.argv = argv;
    for (const [signal, before] of Object.entries(signals)) {
      for (const listener of process.listeners(signal as NodeJS.Signals)) if (!before.includes(listener)) process.off(signal, listener);
    }
    vi.doUnmock('electron');
    vi.unstubAllEnvs();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('starts the embedded server, which serves the packaged pages and their assets', async () => {
    expect(desktop).not.toBeNull();
    const base = (desktop?.server.url ?? '').replace(/^ws/, 'http').replace(/\/api\/ws$/, '');
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    const page = await (await fetch(`${base}/admin`)).text();
    const assets = [...page.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect((await fetch(`${base}/${asset}`)).status, asset).toBe(200);
  });

  it('finds every runtime dependency, and what each of them requires, inside the package', async () => {
    const own = JSON.parse(await readFile(path.join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    // Node's own resolution from the extracted app: the project's node_modules is not above it.
    const requireFromApp = createRequire(path.join(app, 'package.json'));
    for (const name of Object.keys(own.dependencies)) {
      expect(requireFromApp.resolve(name).startsWith(path.join(app, 'node_modules')), name).toBe(true);
      expect(() => requireFromApp(name) as unknown, name).not.toThrow();
    }
  });

  it('gives the tray its icons from beside the archive', () => {
    const icon = electron.fake.trays[0]?.image.path ?? '';
    expect(path.dirname(icon)).toBe(path.join(resources, 'tray'));
    expect(existsSync(icon)).toBe(true);
  });

  it('loads the packaged console page, with the packaged preload', () => {
    const [window] = electron.fake.windows;
    const page = window?.loadFile.mock.calls[0]?.[0] ?? '';
    expect(page).toBe(path.join(app, 'dist', 'renderer', 'admin.html'));
    expect(existsSync(page)).toBe(true);
    const preload = (window?.options.webPreferences as { preload?: string } | undefined)?.preload ?? '';
    expect(preload).toBe(path.join(app, 'out', 'preload', 'preload.cjs'));
    expect(existsSync(preload)).toBe(true);
  });
});
