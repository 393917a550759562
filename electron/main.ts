/**
 * The Electron main process: lifecycle only. One instance per data folder; it starts the
 * embedded server, puts the console window, the tray and the IPC handlers on top of it, and
 * closes the server (which compacts the store) before the app exits.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, type BrowserWindow, session } from 'electron';
import type { RunningServer } from '../server/app.js';
import type { AppInfo } from '../server/protocol/ipc-contract.js';
import { APP_FOLDER } from '../server/config/data-dir.js';
import { appInfo } from './app-info.js';
import { startAutoUpdate } from './auto-update.js';
import {
  askForAnotherPort,
  askToResetPassword,
  askWhenFolderInUse,
  showFirstRun,
  showPassword,
  showStartupFailure,
  showStoreWarnings,
} from './dialogs.js';
import { CREDENTIALS_UNREADABLE } from '../server/auth/credentials.js';
import { forwardBroadcasts, registerIpc } from './ipc.js';
import { launchOptions } from './launch-options.js';
import { shellPaths } from './paths.js';
import { startServerOnFreePort } from './start-server.js';
import { createTray, type TrayHandle } from './tray.js';
import { createMainWindow, denyNavigationAndPopups, lockDownSession, showWindow } from './window.js';

export interface Desktop {
  server: RunningServer;
  window: BrowserWindow;
  tray: TrayHandle;
}

/** Closes the server before the app exits; quitting resumes once the store is compacted. */
function closeBeforeQuit(server: RunningServer, tray: TrayHandle): void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('will-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    // A second Quit (or Ctrl+C) while closing just waits for the same close.
    if (state === 'closing') return;
    state = 'closing';
    tray.destroy();
    server
      .close()
      .catch((error: unknown) => console.error('Closing the server failed:', error))
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
}

/**
 * Damaged credentials refuse every login until a reset: the error dialog offers it (so does
 * `--reset-password`). The new password is shown once.
 */
async function offerPasswordReset(server: RunningServer, info: () => AppInfo, asked: boolean): Promise<void> {
  if (!asked && (server.credentials.source !== 'unreadable' || !(await askToResetPassword(CREDENTIALS_UNREADABLE)))) return;
  const password = await server.resetPassword();
  await showPassword(info(), password, 'The admin password was reset', 'Every session has ended: log in with this one.');
}

async function launch(): Promise<Desktop | null> {
  const given = launchOptions(process.argv, process.env);
  // The folder the headless server defaults to, so both modes share the queue and the log. The
  // single-instance lock is per user-data folder: --data-dir or PILEUP_DATA_DIR gives a separate instance.
  app.setPath('userData', given.dataDir ? path.resolve(given.dataDir) : path.join(app.getPath('appData'), APP_FOLDER));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  denyNavigationAndPopups();
  await app.whenReady();
  lockDownSession(session.defaultSession);

  const dataDir = app.getPath('userData');
  const { host, port, bridges, relay } = given;
  const server = await startServerOnFreePort({ dataDir, host, port, bridges, relay, env: process.env }, askForAnotherPort, askWhenFolderInUse);
  if (!server) {
    app.quit();
    return null;
  }

  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
  });
  const paths = shellPaths(app.getAppPath(), process.resourcesPath, app.isPackaged);
  const window = createMainWindow({
    preload: paths.preload,
    page: paths.page,
    stateFile: path.join(dataDir, 'window-state.json'),
    isQuitting: () => quitting,
  });
  // A second launch quits at once (see above); this one shows what it would have opened.
  app.on('second-instance', () => showWindow(window));
  const tray = createTray(server, paths.trayIcons, { show: () => showWindow(window), quit: () => app.quit() });
  const info = () => appInfo(server, server.host, app.getVersion());
  registerIpc({ server, info, pageUrl: pathToFileURL(paths.page).href });
  forwardBroadcasts(server.service, window);
  app.on('activate', () => showWindow(window));
  closeBeforeQuit(server, tray);
  // Ctrl+C in the terminal of `npm start` quits cleanly too, compacting the store.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  const startup = info();
  showFirstRun(startup)
    .then(() => showStoreWarnings(startup))
    .then(() => offerPasswordReset(server, info, given.resetPassword === true))
    .catch((error: unknown) => console.error('A start-up dialog failed:', error));
  startAutoUpdate(process.env, app.isPackaged, (line) => console.error(line)).catch((error: unknown) =>
    console.error('Starting the updater failed:', error),
  );
  return { server, window, tray };
}

/** Resolves once the app runs (null when it did not start); tests await it. */
export const launched: Promise<Desktop | null> = launch().catch((error: unknown) => {
  showStartupFailure(error);
  app.exit(1);
  return null;
});
