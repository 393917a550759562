/**
 * `npm start` (dist/server/start.js), run in a copy of the project whose node_modules/electron is
 * the real package without its binary, as after `npm install`. Electron's installer downloads
 * from a mirror on 127.0.0.1 (or a closed port), never from the internet; the "runtime" it
 * installs or finds is a shell script that records how it was launched.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureBuilt, REPO_ROOT } from '../support/cli-process.js';
import { closedPort, type Mirror, startMirror, standInRuntimeZip } from './electron-mirror.js';
import { standInExecutable } from './stand-in-electron.js';

const ELECTRON_PACKAGE = path.join(REPO_ROOT, 'node_modules', 'electron');
const { version: ELECTRON_VERSION } = JSON.parse(
  await readFile(path.join(ELECTRON_PACKAGE, 'package.json'), 'utf8'),
) as { version: string };
const ZIP = `electron-v${ELECTRON_VERSION}-${process.platform}-${process.arch}.zip`;
/** The stand-in runtime: records its arguments and whether ELECTRON_RUN_AS_NODE reached it. */
const RECORDING = [
  'printf \'%s\\n\' "$@" > "$STAND_IN_DIR/args.txt"',
  'echo "${ELECTRON_RUN_AS_NODE:-unset}" > "$STAND_IN_DIR/run-as-node.txt"',
  'exit 3',
].join('\n');
const HEADLESS = ['--host', '127.0.0.1', '--port', '0'];

const made: string[] = [];
const children = new Set<ChildProcess>();
const mirrors: Mirror[] = [];

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * A project folder with the built server, every dependency (linked), and a copy of the electron
 * package as npm installs it: its installer, no binary. `installed` adds the stand-in runtime
 * where the installer would have put it.
 */
async function project(options: { installed?: boolean } = {}): Promise<string> {
  const root = await tempDir('pileup-start-');
  await cp(path.join(REPO_ROOT, 'dist', 'server'), path.join(root, 'dist', 'server'), { recursive: true });
  await copyFile(path.join(REPO_ROOT, 'package.json'), path.join(root, 'package.json'));
  await mkdir(path.join(root, 'out', 'main'), { recursive: true });
  await writeFile(path.join(root, 'out', 'main', 'main.js'), '');
  const modules = path.join(root, 'node_modules');
  await mkdir(modules);
  for (const entry of await readdir(path.join(REPO_ROOT, 'node_modules'))) {
    if (entry !== 'electron' && entry !== '.bin') await symlink(path.join(REPO_ROOT, 'node_modules', entry), path.join(modules, entry), 'junction');
  }
  const electron = path.join(modules, 'electron');
  const { files } = JSON.parse(await readFile(path.join(ELECTRON_PACKAGE, 'package.json'), 'utf8')) as { files: string[] };
  await mkdir(electron);
  for (const file of ['package.json', ...files]) {
    if (existsSync(path.join(ELECTRON_PACKAGE, file))) await copyFile(path.join(ELECTRON_PACKAGE, file), path.join(electron, file));
  }
  if (options.installed) {
    await writeStandIn(path.join(electron, 'dist'));
    await writeFile(path.join(electron, 'path.txt'), 'electron');
  }
  return root;
}

async function writeStandIn(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'electron'), standInExecutable(RECORDING), { mode: 0o755 });
}

/** The environment of the test run, less every Electron download setting (an .npmrc's too). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(electron_|npm_config_electron|npm_package_config_electron)/i.test(name)),
  );
}

interface StartRun {
  child: ChildProcess;
  out(): string;
  exited: Promise<number | null>;
  waitForOut(text: string): Promise<void>;
}

function start(root: string, args: string[], env: NodeJS.ProcessEnv): StartRun {
  const child = spawn(process.execPath, [path.join(root, 'dist', 'server', 'start.js'), ...args], {
    env: { ...cleanEnv(), ADMIN_PASSWORD: 'start-test-pass', STAND_IN_DIR: root, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => {
      children.delete(child);
      resolve(code);
    });
  });
  return {
    child,
    out: () => out,
    exited,
    waitForOut: (text) => vi.waitFor(() => expect(out).toContain(text), { timeout: 30_000, interval: 50 }),
  };
}

/** Settings every run gets: the installer's cache in a temp folder, and a mirror. */
async function downloadEnv(mirror: string): Promise<NodeJS.ProcessEnv> {
  return { ELECTRON_MIRROR: mirror, electron_config_cache: await tempDir('pileup-electron-cache-') };
}

async function mirror(...args: Parameters<typeof startMirror>): Promise<Mirror> {
  const started = await startMirror(...args);
  mirrors.push(started);
  return started;
}

/** Waits for the headless server, checks it serves, stops it with Ctrl+C. */
async function expectHeadless(run: StartRun): Promise<void> {
  await run.waitForOut('Press Ctrl+C to stop.');
  expect(run.out()).toMatch(/WebSocket API: ws:\/\/127\.0\.0\.1:\d+\/api\/ws/);
  const health = /Health: (http:\/\/\S+)/.exec(run.out())?.[1] ?? '';
  expect((await fetch(health)).status).toBe(200);
}

async function stopHeadless(run: StartRun): Promise<void> {
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(0);
}

/** The line that says why there is no window. */
function fallbackLine(run: StartRun): string {
  return run.out().split('\n').find((line) => line.startsWith('Desktop app unavailable')) ?? '';
}

beforeAll(async () => {
  await ensureBuilt();
});

afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(mirrors.splice(0).map((server) => server.close()));
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe.skipIf(process.platform === 'win32')('npm start with the runtime installed', () => {
  it('launches it on the project, passing the arguments through, and downloads nothing', async () => {
    const root = await project({ installed: true });
    const host = await mirror('silent');
    const run = start(root, ['--port=8123'], { ...(await downloadEnv(host.url)), ELECTRON_RUN_AS_NODE: '1' });
    expect(await run.exited).toBe(3);
    expect((await readFile(path.join(root, 'args.txt'), 'utf8')).split('\n')).toEqual([root, '--port=8123', '']);
    // Inherited, it would turn the app into plain Node.
    expect((await readFile(path.join(root, 'run-as-node.txt'), 'utf8')).trim()).toBe('unset');
    expect(host.requests).toEqual([]);
  });

  it('launches the distribution ELECTRON_OVERRIDE_DIST_PATH names instead of downloading one', async () => {
    const root = await project();
    const elsewhere = await tempDir('pileup-electron-elsewhere-');
    await writeStandIn(elsewhere);
    const host = await mirror('silent');
    const run = start(root, ['--host=127.0.0.1'], { ...(await downloadEnv(host.url)), ELECTRON_OVERRIDE_DIST_PATH: elsewhere });
    expect(await run.exited).toBe(3);
    expect((await readFile(path.join(root, 'args.txt'), 'utf8')).split('\n')).toEqual([root, '--host=127.0.0.1', '']);
    expect(host.requests).toEqual([]);
  });

  it('runs headless, naming the folder, when ELECTRON_OVERRIDE_DIST_PATH holds no Electron', async () => {
    const root = await project();
    const empty = await tempDir('pileup-electron-empty-');
    const host = await mirror('silent');
    const run = start(root, HEADLESS, { ...(await downloadEnv(host.url)), ELECTRON_OVERRIDE_DIST_PATH: empty });
    await expectHeadless(run);
    expect(fallbackLine(run)).toBe(
      `Desktop app unavailable: ELECTRON_OVERRIDE_DIST_PATH is ${empty}, but ${path.join(empty, 'electron')} does not exist. Running the server headless.`,
    );
    expect(host.requests).toEqual([]);
    await stopHeadless(run);
  });
});

describe.skipIf(process.platform !== 'linux')('the first npm start, without the runtime', () => {
  it("downloads it with Electron's installer, saying so, then opens the app; the next start downloads nothing", async () => {
    const root = await project();
    const host = await mirror('serve', { [ZIP]: standInRuntimeZip(ELECTRON_VERSION, RECORDING) });
    // The stand-in zip is not Electron's: check it against the mirror's SHASUMS256.txt.
    const env = { ...(await downloadEnv(host.url)), electron_use_remote_checksums: '1' };
    const first = start(root, ['--port=8124'], env);
    expect(await first.exited).toBe(3);
    expect(first.out()).toContain(`Downloading the Electron ${ELECTRON_VERSION} runtime (first start only`);
    expect(first.out()).toMatch(/^Electron runtime installed in \d+ s\.$/m);
    expect(host.requests).toEqual([`/v${ELECTRON_VERSION}/${ZIP}`, `/v${ELECTRON_VERSION}/SHASUMS256.txt`]);
    expect(await readFile(path.join(root, 'node_modules', 'electron', 'path.txt'), 'utf8')).toBe('electron');
    expect((await readFile(path.join(root, 'args.txt'), 'utf8')).split('\n')).toEqual([root, '--port=8124', '']);

    host.requests.length = 0;
    const second = start(root, [], env);
    expect(await second.exited).toBe(3);
    expect(second.out()).not.toContain('Downloading');
    expect(host.requests).toEqual([]);
  });

  it('runs headless with the reason in one line when the download host answers 404', async () => {
    const root = await project();
    const host = await mirror('not-found');
    const run = start(root, HEADLESS, await downloadEnv(host.url));
    await expectHeadless(run);
    expect(fallbackLine(run)).toBe(
      `Desktop app unavailable: could not download the Electron runtime (HTTPError: Response code 404 (Not Found) for ${host.url}v${ELECTRON_VERSION}/${ZIP}); npx install-electron retries. Running the server headless.`,
    );
    expect(run.out().split('\n').filter((line) => line.startsWith('Desktop app unavailable'))).toHaveLength(1);
    expect(existsSync(path.join(root, 'node_modules', 'electron', 'path.txt'))).toBe(false);
    await stopHeadless(run);
  });

  it('runs headless with the reason in one line when the download host cannot be reached', async () => {
    const root = await project();
    const run = start(root, HEADLESS, await downloadEnv(`http://127.0.0.1:${await closedPort()}/`));
    await expectHeadless(run);
    expect(fallbackLine(run)).toBe(
      'Desktop app unavailable: could not download the Electron runtime (TypeError: fetch failed: no connection to the download host); npx install-electron retries. Running the server headless.',
    );
    await stopHeadless(run);
  });

  it('stops the installer at the time limit and runs headless', async () => {
    const root = await project();
    const host = await mirror('silent');
    const run = start(root, HEADLESS, { ...(await downloadEnv(host.url)), PILEUP_ELECTRON_DOWNLOAD_TIMEOUT: '1' });
    await expectHeadless(run);
    expect(fallbackLine(run)).toBe(
      'Desktop app unavailable: could not download the Electron runtime (not finished within the time limit of 1 s (PILEUP_ELECTRON_DOWNLOAD_TIMEOUT sets it)); npx install-electron retries. Running the server headless.',
    );
    await stopHeadless(run);
  });

  it('quits on Ctrl+C during the download, stopping the installer, without starting the server', async () => {
    const root = await project();
    const host = await mirror('silent');
    const run = start(root, HEADLESS, await downloadEnv(host.url));
    await run.waitForOut('Downloading the Electron');
    await vi.waitFor(() => expect(host.requests).toHaveLength(1), { timeout: 30_000 });
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(run.out()).not.toContain('Pileup Buster 0.1.0 (headless)');
  });

  it('downloads nothing when ELECTRON_SKIP_BINARY_DOWNLOAD is set', async () => {
    const root = await project();
    const host = await mirror('silent');
    const run = start(root, HEADLESS, { ...(await downloadEnv(host.url)), ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    await expectHeadless(run);
    expect(fallbackLine(run)).toBe(
      'Desktop app unavailable: the Electron runtime is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set. Running the server headless.',
    );
    expect(host.requests).toEqual([]);
    await stopHeadless(run);
  });

  it('refuses a time limit that is not a number of seconds, starting nothing', async () => {
    const root = await project();
    const host = await mirror('silent');
    const run = start(root, HEADLESS, { ...(await downloadEnv(host.url)), PILEUP_ELECTRON_DOWNLOAD_TIMEOUT: 'soon' });
    expect(await run.exited).toBe(2);
    expect(run.out().trim()).toBe('pileup-buster: PILEUP_ELECTRON_DOWNLOAD_TIMEOUT=soon is not a number of seconds above 0');
    expect(host.requests).toEqual([]);
  });
});
