/**
 * The operator console window and the app-wide web hardening. The page gets no Node, runs
 * sandboxed and isolated from the preload, cannot navigate away or open windows, is granted no
 * permission, and runs under a strict Content Security Policy. Closing the window hides it to
 * the tray; only Quit ends the app.
 */
import { app, BrowserWindow, screen, type Session } from 'electron';
import { loadBounds, saveBounds } from './window-state.js';

export interface MainWindowOptions {
  preload: string;
  page: string;
  /** Where the window's size and position are remembered. */
  stateFile: string;
  /** True once the app is quitting: then closing really closes. */
  isQuitting(): boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const bounds = loadBounds(
    options.stateFile,
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Pileup Buster',
    webPreferences: {
      // Reviewed: the preload exposes only the three functions of PileupApi, never ipcRenderer.
      preload: options.preload, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Middle-click would otherwise try to open links in new windows (denied anyway, see below).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('close', (event) => {
    saveBounds(options.stateFile, window.getNormalBounds());
    if (options.isQuitting()) return;
    event.preventDefault();
    window.hide();
  });
  window.loadFile(options.page).catch((error: unknown) => {
    console.error(`The operator console could not be loaded from ${options.page} (is the renderer built?):`, error);
  });
  return window;
}

export function showWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/** App-wide, so it also covers any web contents a bug or an exploit might create. */
export function denyNavigationAndPopups(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

export function lockDownSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  // Inside the app the console talks to the server over IPC only, so it needs no network at all.
  // A literal, so electronegativity can evaluate it. Chromium may not apply headers to file://
  // loads: renderer/admin.html carries its own meta-tag policy as the backstop.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [
          "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ],
      },
    });
  });
}
