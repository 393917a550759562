import { appendFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Desktop } from '../../electron/main.js';
import { APP_FOLDER } from '../../server/config/data-dir.js';
import { IPC_CHANNELS } from '../../server/protocol/ipc-contract.js';
import { hashPassword } from '../../server/auth/password.js';
import { CREDENTIALS_UNREADABLE } from '../../server/auth/credentials.js';
import { DataDirLock } from '../../server/store/data-dir-lock.js';
import { dataLines, isCompacted } from '../support/data-files.js';
import { makeDataDir, TestClient } from '../support/harness.js';
import type { FakeElectron } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).createFakeElectron());
// The real one would reach for Electron's own modules and the release feed.
const updater = vi.hoisted(() => ({ on: vi.fn(), checkForUpdatesAndNotify: vi.fn(() => Promise.resolve(null)) }));
vi.mock('electron-updater', () => ({ default: { autoUpdater: updater } }));

const OLD_PASSWORD = 'the-old-password';

/** A settings.db whose newest credentials line was torn: the one before it holds OLD_PASSWORD. */
async function writeDamagedCredentials(dir: string): Promise<void> {
  const old = JSON.stringify({ _id: 'credentials', username: 'admin', password_hash: await hashPassword(OLD_PASSWORD) });
  await writeFile(path.join(dir, 'settings.db'), `${old}\n{"_id":"credentials","username":"admin","password_h`);
}

const CONSOLE = { url: pathToFileURL(path.join(process.cwd(), 'dist', 'renderer', 'admin.html')).href, parent: null };
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

let dataDir: string;
let electron: FakeElectron;
let desktop: Desktop | null;
const argv = process.argv;
const signalListeners = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));

/** Starts electron/main.ts afresh against a fresh fake Electron; `prepare` runs before it. */
async function launch(options: { argv?: string[]; prepare?: (fake: FakeElectron) => void } = {}): Promise<Desktop | null> {
  // A fresh fake per launch: main.ts registers app-wide listeners and IPC handlers once per run.
  vi.resetModules();
  vi.doMock('electron', async () => (await import('./fake-electron.js')).createFakeElectron());
  electron = (await import('electron')) as unknown as FakeElectron;
  options.prepare?.(electron);
  process.argv = [argv[0] ?? 'electron', '.', ...(options.argv ?? ['--host=127.0.0.1', '--port=0'])];
  const { launched } = await import('../../electron/main.js');
  desktop = await launched;
  return desktop;
}

async function quit(): Promise<void> {
  electron.app.quit();
  await vi.waitFor(() => expect(electron.app.quitted).toBe(true));
}

function tray() {
  const created = electron.fake.trays.at(-1);
  if (!created) throw new Error('no tray');
  return created;
}

beforeEach(async () => {
  dataDir = await makeDataDir();
  desktop = null;
  vi.stubEnv('PILEUP_DATA_DIR', dataDir);
  vi.stubEnv('ADMIN_USERNAME', 'admin');
  vi.stubEnv('ADMIN_PASSWORD', 'test-password-123');
});

afterEach(async () => {
  if (desktop && !electron.app.quitted) await quit();
  process.argv = argv;
  for (const signal of SIGNALS) {
    const before = signalListeners.get(signal) ?? [];
    for (const listener of process.listeners(signal)) if (!before.includes(listener)) process.off(signal, listener);
  }
  vi.unstubAllEnvs();
  await rm(dataDir, { recursive: true, force: true });
});

describe('app lifecycle', () => {
  it('quits at once when another instance holds the lock, starting no server and no window', async () => {
    expect(await launch({ prepare: (fake) => fake.app.requestSingleInstanceLock.mockReturnValue(false) })).toBeNull();
    expect(electron.app.quit).toHaveBeenCalled();
    expect(electron.fake.windows).toHaveLength(0);
    expect(electron.fake.trays).toHaveLength(0);
  });

  it('brings the window of the first instance back when the app is launched again', async () => {
    await launch();
    const [window] = electron.fake.windows;
    window?.close();
    expect(window?.visible).toBe(false);
    electron.app.emit('second-instance');
    expect(window?.visible).toBe(true);
    expect(window?.focus).toHaveBeenCalled();
  });

  it('keeps its data in the user-data folder the headless server defaults to', async () => {
    vi.stubEnv('PILEUP_DATA_DIR', undefined);
    await launch({ prepare: (fake) => fake.app.requestSingleInstanceLock.mockReturnValue(false) });
    expect(electron.app.setPath).toHaveBeenCalledWith('userData', path.join(electron.app.getPath('appData'), APP_FOLDER));
  });

  it('starts the server over PILEUP_DATA_DIR when it is set, and opens the console and the tray', async () => {
    const started = await launch();
    expect(electron.app.getPath('userData')).toBe(dataDir);
    expect(started?.server.store.dataDir).toBe(dataDir);
    expect(electron.fake.windows[0]?.loadFile).toHaveBeenCalledWith(path.join(process.cwd(), 'dist', 'renderer', 'admin.html'));
    expect(tray().tooltip).toBe('Pileup Buster: inactive');
  });

  it('answers the console over IPC with the embedded server', async () => {
    await launch();
    const reply = await electron.ipcMain.invoke(IPC_CHANNELS.request, CONSOLE, { type: 'admin_toggle_system', active: true });
    expect(reply).toMatchObject({ type: 'success', data: { system_active: true } });
    expect(electron.fake.windows[0]?.webContents.send).toHaveBeenCalledWith(
      IPC_CHANNELS.broadcast,
      expect.objectContaining({ type: 'system_status_update' }),
    );
  });

  it('closes the server and compacts the store before the app exits, when Quit is chosen in the tray', async () => {
    const started = await launch();
    const url = started?.server.url ?? '';
    for (const active of [true, false, true]) {
      await electron.ipcMain.invoke(IPC_CHANNELS.request, CONSOLE, { type: 'admin_toggle_system', active });
    }
    expect(await isCompacted(dataDir, 'state.db')).toBe(false);

    tray().clickItem('Quit');
    await vi.waitFor(() => expect(electron.app.quitted).toBe(true));
    expect(await isCompacted(dataDir, 'state.db')).toBe(true);
    expect(await dataLines(dataDir, 'state.db')).toHaveLength(1);
    await expect(TestClient.connect(url)).rejects.toThrow();
    expect(tray().destroyed).toBe(true);
    expect(electron.fake.windows[0]?.isDestroyed()).toBe(true);
  });

  it('waits for the same close when Quit comes twice', async () => {
    await launch();
    const destroy = vi.spyOn(tray(), 'destroy');
    electron.app.quit();
    electron.app.quit();
    await vi.waitFor(() => expect(electron.app.quitted).toBe(true));
    expect(destroy).toHaveBeenCalledTimes(1);
  });
});

describe('first run and start-up problems', () => {
  it('shows the generated admin password and the LAN URLs on first run, in a dialog and over IPC', async () => {
    vi.stubEnv('ADMIN_PASSWORD', '');
    const started = await launch();
    const password = started?.server.credentials.generatedPassword ?? '';
    expect(password).not.toBe('');
    await vi.waitFor(() => expect(electron.dialog.showMessageBox).toHaveBeenCalled());
    const [options] = electron.dialog.showMessageBox.mock.calls[0] ?? [];
    expect(options?.detail).toContain(`Admin password: ${password}`);
    expect(options?.detail).toContain(started?.server.url);

    const info = await electron.ipcMain.invoke(IPC_CHANNELS.info, CONSOLE);
    expect(info).toMatchObject({ username: 'admin', generatedPassword: password, wsUrls: [started?.server.url] });
  });

  it('copies the generated password to the clipboard when asked to', async () => {
    vi.stubEnv('ADMIN_PASSWORD', '');
    const started = await launch({
      prepare: (fake) => fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false }),
    });
    await vi.waitFor(() => expect(electron.clipboard.writeText).toHaveBeenCalledWith(started?.server.credentials.generatedPassword));
  });

  it('shows no first-run dialog once the password is known', async () => {
    await launch();
    expect(electron.dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('offers another port when the port is in use, instead of crashing', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const started = await launch({
        argv: ['--host=127.0.0.1', `--port=${taken}`],
        prepare: (fake) => fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false }),
      });
      const [options] = electron.dialog.showMessageBox.mock.calls[0] ?? [];
      expect(options?.message).toBe(`Port ${taken} is already in use`);
      expect(options?.buttons).toEqual([`Use port ${taken + 1}`, 'Use any free port', 'Quit']);
      expect(started?.server.address.port).not.toBe(taken);
      expect(electron.fake.windows).toHaveLength(1);
    } finally {
      blocker.close();
    }
  });

  it('quits without a window when the operator declines another port', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const started = await launch({
        argv: ['--host=127.0.0.1', `--port=${taken}`],
        prepare: (fake) => fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 2, checkboxChecked: false }),
      });
      expect(started).toBeNull();
      expect(electron.app.quit).toHaveBeenCalled();
      expect(electron.fake.windows).toHaveLength(0);
    } finally {
      blocker.close();
    }
  });

  it('starts despite a corrupt data file and says what it skipped', async () => {
    await appendFile(path.join(dataDir, 'state.db'), '{"_id":"pileup","active":tr\n');
    const started = await launch();
    expect(started).not.toBeNull();
    await vi.waitFor(() => expect(electron.dialog.showMessageBox).toHaveBeenCalled());
    const [options] = electron.dialog.showMessageBox.mock.calls[0] ?? [];
    expect(options?.message).toBe('Some saved data could not be read');
    expect(options?.detail).toContain('state.db line 1 could not be read and was skipped');
    const info = (await electron.ipcMain.invoke(IPC_CHANNELS.info, CONSOLE)) as { storeWarnings: string[] };
    expect(info.storeWarnings[0]).toContain('state.db line 1');
    expect(info.storeWarnings.some((warning) => warning.includes('original file was kept'))).toBe(true);
  });

  it('says in a dialog which Pileup Buster holds the data folder, and quits when asked', async () => {
    const holder = await DataDirLock.acquire(dataDir);
    try {
      const started = await launch({ prepare: (fake) => fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false }) });
      expect(started).toBeNull();
      const [options] = electron.dialog.showMessageBox.mock.calls[0] ?? [];
      expect(options?.message).toBe('The data folder is in use');
      expect(options?.detail).toContain(`The data directory ${dataDir} is in use by another Pileup Buster (pid ${process.pid} on `);
      expect(options?.buttons).toEqual(['Quit', 'Try again']);
      expect(electron.app.quit).toHaveBeenCalled();
      expect(electron.fake.windows).toHaveLength(0);
    } finally {
      await holder.release();
    }
  });

  it('starts when asked to try again once the other one has let go of the folder', async () => {
    const holder = await DataDirLock.acquire(dataDir);
    const started = await launch({
      prepare: (fake) =>
        fake.dialog.showMessageBox.mockImplementationOnce(async () => {
          await holder.release();
          return { response: 1, checkboxChecked: false };
        }),
    });
    expect(started?.server.store.dataDir).toBe(dataDir);
    expect(electron.fake.windows).toHaveLength(1);
  });

  it('refuses logins while the stored password cannot be read, and says so in a dialog that offers a reset', async () => {
    vi.stubEnv('ADMIN_PASSWORD', '');
    await writeDamagedCredentials(dataDir);
    const started = await launch({
      prepare: (fake) => fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false }).mockResolvedValueOnce({ response: 1, checkboxChecked: false }),
    });
    await vi.waitFor(() => expect(electron.dialog.showMessageBox).toHaveBeenCalledTimes(2));
    const [warnings] = electron.dialog.showMessageBox.mock.calls[0] ?? [];
    expect(warnings?.detail).toContain('settings.db line 2 could not be read');
    expect(warnings?.detail).toContain(CREDENTIALS_UNREADABLE);
    const [offer] = electron.dialog.showMessageBox.mock.calls[1] ?? [];
    expect(offer?.message).toBe('The admin password could not be read');
    expect(offer?.buttons).toEqual(['Reset password', 'Later']);

    // "Later": the old password does not come back.
    const client = await TestClient.connect(started?.server.url ?? '');
    const refused = await client.request('auth_request', { username: 'admin', password: OLD_PASSWORD });
    expect(refused).toMatchObject({ error_code: 'AUTHENTICATION_FAILED', message: CREDENTIALS_UNREADABLE, details: { credentials_unreadable: true } });
    await client.close();
  });

  it('resets the password from that dialog and shows the new one once', async () => {
    vi.stubEnv('ADMIN_PASSWORD', '');
    await writeDamagedCredentials(dataDir);
    const started = await launch({
      prepare: (fake) => fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false }).mockResolvedValueOnce({ response: 0, checkboxChecked: false }),
    });
    await vi.waitFor(() => expect(electron.dialog.showMessageBox).toHaveBeenCalledTimes(3));
    const [shown] = electron.dialog.showMessageBox.mock.calls[2] ?? [];
    expect(shown?.message).toBe('The admin password was reset');
    const password = /Admin password: (\S+)/.exec(shown?.detail ?? '')?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(started?.server.credentials.source).toBe('stored');

    const client = await TestClient.connect(started?.server.url ?? '');
    expect(await client.request('auth_request', { username: 'admin', password })).toMatchObject({ type: 'auth_response' });
    expect(await client.request('auth_request', { username: 'admin', password: OLD_PASSWORD })).toMatchObject({ error_code: 'AUTHENTICATION_FAILED' });
    await client.close();
  });

  it('reports an unusable --port in an error box and exits', async () => {
    expect(await launch({ argv: ['--port=eighty'] })).toBeNull();
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith('Pileup Buster could not start', expect.stringContaining('--port'));
    expect(electron.app.exit).toHaveBeenCalledWith(1);
  });
});

describe('auto-update', () => {
  // Electron's for an installed app; build/ holds tray/ as resources/ does when packaged.
  const processWithResources = process as { resourcesPath?: string };
  const resourcesPath = processWithResources.resourcesPath;
  const installed = (fake: FakeElectron) => {
    fake.app.isPackaged = true;
    processWithResources.resourcesPath = path.join(process.cwd(), 'build');
  };

  beforeEach(() => {
    updater.checkForUpdatesAndNotify.mockClear();
  });

  afterEach(() => {
    processWithResources.resourcesPath = resourcesPath;
  });

  it('does not check for updates by default, even installed', async () => {
    expect(await launch({ prepare: installed })).not.toBeNull();
    await new Promise((resolve) => setImmediate(resolve));
    expect(updater.checkForUpdatesAndNotify).not.toHaveBeenCalled();
  });

  it('checks the release feed once at start-up when PILEUP_AUTO_UPDATE=1 in the installed app', async () => {
    vi.stubEnv('PILEUP_AUTO_UPDATE', '1');
    expect(await launch({ prepare: installed })).not.toBeNull();
    await vi.waitFor(() => expect(updater.checkForUpdatesAndNotify).toHaveBeenCalledTimes(1));
  });

  it('does not check from a development run, where there is no feed', async () => {
    vi.stubEnv('PILEUP_AUTO_UPDATE', '1');
    const warn = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await launch()).not.toBeNull();
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith('PILEUP_AUTO_UPDATE=1 is ignored: this is not an installed (packaged) app.'));
    expect(updater.checkForUpdatesAndNotify).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});

