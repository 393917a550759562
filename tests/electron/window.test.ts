import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as electronModule from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMainWindow, denyNavigationAndPopups, lockDownSession, showWindow } from '../../electron/window.js';
import { DEFAULT_SIZE, loadBounds, saveBounds } from '../../electron/window-state.js';
import { type FakeBrowserWindow, type FakeElectron, FakeWebContents, fakeEvent } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).createFakeElectron());

const electron = electronModule as unknown as FakeElectron;
const SCREEN = { x: 0, y: 0, width: 1920, height: 1080 };

let dir: string;
let quitting: boolean;

function openWindow(): FakeBrowserWindow {
  createMainWindow({
    preload: '/app/out/preload/preload.cjs',
    page: '/app/dist/renderer/admin.html',
    stateFile: path.join(dir, 'window-state.json'),
    isQuitting: () => quitting,
  });
  const window = electron.fake.windows.at(-1);
  if (!window) throw new Error('no window was created');
  return window;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pileup-window-'));
  quitting = false;
});

afterEach(async () => {
  electron.app.removeAllListeners();
  await rm(dir, { recursive: true, force: true });
});

describe('console window', () => {
  it('runs the page sandboxed, context-isolated, without Node integration and without webviews', () => {
    const { webPreferences } = openWindow().options as { webPreferences: Record<string, unknown> };
    expect(webPreferences).toMatchObject({
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
      disableBlinkFeatures: 'Auxclick',
      preload: '/app/out/preload/preload.cjs',
    });
    expect(webPreferences).not.toHaveProperty('enableBlinkFeatures');
  });

  it('loads the built console page and shows it once ready', () => {
    const window = openWindow();
    expect(window.loadFile).toHaveBeenCalledWith('/app/dist/renderer/admin.html');
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  it('hides to the tray when closed, and really closes while the app quits', () => {
    const window = openWindow();
    showWindow(window as unknown as electronModule.BrowserWindow);
    window.close();
    expect(window.isDestroyed()).toBe(false);
    expect(window.visible).toBe(false);

    quitting = true;
    window.close();
    expect(window.isDestroyed()).toBe(true);
  });

  it('comes back focused when shown from the tray', () => {
    const window = openWindow();
    showWindow(window as unknown as electronModule.BrowserWindow);
    expect(window.show).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });

  it('reopens with the size and position it was closed with', () => {
    openWindow().close();
    const reopened = openWindow();
    expect(reopened.options).toMatchObject({ x: 10, y: 20, width: 1000, height: 700 });
  });
});

describe('remembered window bounds', () => {
  it('restores a saved position that lies on a connected display', () => {
    const file = path.join(dir, 'state.json');
    saveBounds(file, { x: 100, y: 50, width: 900, height: 600 });
    expect(loadBounds(file, [SCREEN])).toEqual({ x: 100, y: 50, width: 900, height: 600 });
  });

  it('keeps the size but drops a position on a display that is gone', () => {
    const file = path.join(dir, 'state.json');
    saveBounds(file, { x: 3000, y: 50, width: 900, height: 600 });
    expect(loadBounds(file, [SCREEN])).toEqual({ width: 900, height: 600 });
  });

  it('uses the default size when nothing usable was saved', async () => {
    const file = path.join(dir, 'state.json');
    expect(loadBounds(file, [SCREEN])).toEqual(DEFAULT_SIZE);
    await writeFile(file, '{"x":1,"y":2,"width":-5,"height":"tall"}');
    expect(loadBounds(file, [SCREEN])).toEqual(DEFAULT_SIZE);
    await writeFile(file, 'not json');
    expect(loadBounds(file, [SCREEN])).toEqual(DEFAULT_SIZE);
  });

  it('writes the bounds as JSON', async () => {
    const file = path.join(dir, 'state.json');
    saveBounds(file, { x: 1, y: 2, width: 3, height: 4 });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ x: 1, y: 2, width: 3, height: 4 });
  });
});

describe('web hardening', () => {
  function hardenedContents(): FakeWebContents {
    denyNavigationAndPopups();
    const contents = new FakeWebContents();
    electron.app.emit('web-contents-created', fakeEvent(), contents);
    return contents;
  }

  it('denies navigation in every web contents', () => {
    const navigation = fakeEvent();
    hardenedContents().emit('will-navigate', navigation, 'https://example.com/');
    expect(navigation.defaultPrevented).toBe(true);
  });

  it('denies window.open and new windows', () => {
    expect(hardenedContents().windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('denies attaching a webview', () => {
    const attach = fakeEvent();
    hardenedContents().emit('will-attach-webview', attach, {}, {});
    expect(attach.defaultPrevented).toBe(true);
  });

  it('denies every permission request and permission check', () => {
    const { defaultSession } = electron.session;
    lockDownSession(defaultSession as unknown as electronModule.Session);
    const requestHandler = defaultSession.setPermissionRequestHandler.mock.calls[0]?.[0] as (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
    ) => void;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      requestHandler({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    const checkHandler = defaultSession.setPermissionCheckHandler.mock.calls[0]?.[0] as () => boolean;
    expect(checkHandler()).toBe(false);
  });

  it('sends a strict Content Security Policy with every response, keeping the other headers', () => {
    lockDownSession(electron.session.defaultSession as unknown as electronModule.Session);
    const listener = electron.fake.headersReceived.at(-1);
    const callback = vi.fn();
    listener?.({ responseHeaders: { 'X-Other': ['kept'] } }, callback);
    const headers = callback.mock.calls[0]?.[0].responseHeaders as Record<string, string[]>;
    expect(headers['X-Other']).toEqual(['kept']);
    const policy = headers['Content-Security-Policy']?.[0] ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain('unsafe-');
  });
});
