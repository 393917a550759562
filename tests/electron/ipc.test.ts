import * as electronModule from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appInfo } from '../../electron/app-info.js';
import { forwardBroadcasts, isTrustedFrame, registerIpc } from '../../electron/ipc.js';
import { IPC_CHANNELS } from '../../server/protocol/ipc-contract.js';
import { useServer } from '../support/fixture.js';
import { TestClient } from '../support/harness.js';
import type { FakeElectron, FakeFrame } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).createFakeElectron());

const electron = electronModule as unknown as FakeElectron;
const PAGE_URL = 'file:///opt/pileup/dist/renderer/admin.html';
const CONSOLE: FakeFrame = { url: PAGE_URL, parent: null };

const fx = useServer();

beforeEach(() => {
  registerIpc({ server: fx.server, info: () => appInfo(fx.server, '127.0.0.1', '1.2.3'), pageUrl: PAGE_URL });
});

afterEach(() => {
  for (const channel of Object.values(IPC_CHANNELS)) electron.ipcMain.removeHandler(channel);
});

describe('IPC handlers', () => {
  it('answer a protocol request from the console page through the server dispatch', async () => {
    const reply = await electron.ipcMain.invoke(IPC_CHANNELS.request, CONSOLE, { type: 'get_queue_status' });
    expect(reply).toMatchObject({ type: 'success', data: { system_active: false, queue_size: 0 } });
  });

  it('run admin requests as the trusted local operator, with the broadcasts a WebSocket admin causes', async () => {
    const listener = await TestClient.connect(fx.server.url);
    const broadcast = listener.nextBroadcast('system_status_update');
    const reply = await electron.ipcMain.invoke(IPC_CHANNELS.request, CONSOLE, { type: 'admin_toggle_system', active: true });
    expect(reply).toMatchObject({ type: 'success', data: { system_active: true } });
    expect(await broadcast).toMatchObject({ data: { active: true, changed_by: 'admin' } });
    expect(fx.server.service.status().system_active).toBe(true);
    await listener.close();
  });

  it('reply to an invalid request with the protocol error, changing nothing', async () => {
    const reply = await electron.ipcMain.invoke(IPC_CHANNELS.request, CONSOLE, { type: 'admin_toggle_system', active: 'yes' });
    expect(reply).toMatchObject({ type: 'error', error_code: 'INVALID_REQUEST' });
    expect(fx.server.service.status().system_active).toBe(false);
  });

  it('refuse a request that is not an object', async () => {
    await expect(electron.ipcMain.invoke(IPC_CHANNELS.request, CONSOLE, 'get_queue_status')).rejects.toThrow(TypeError);
  });

  it.each([
    ['another page', { url: 'https://evil.example/admin.html', parent: null }],
    ['another local file', { url: 'file:///tmp/admin.html', parent: null }],
    ['a frame inside the console', { url: PAGE_URL, parent: CONSOLE }],
    ['a frame that is gone', null],
  ])('refuse requests and info from %s', async (_name, frame) => {
    await expect(electron.ipcMain.invoke(IPC_CHANNELS.request, frame, { type: 'admin_toggle_system', active: true })).rejects.toThrow(
      /Refused/,
    );
    await expect(electron.ipcMain.invoke(IPC_CHANNELS.info, frame)).rejects.toThrow(/Refused/);
    expect(fx.server.service.status().system_active).toBe(false);
  });

  it('give the console the app info: version, LAN URLs, console and public page URLs, user name, no stored password, no warnings, clients', async () => {
    expect(await electron.ipcMain.invoke(IPC_CHANNELS.info, CONSOLE)).toEqual({
      version: '1.2.3',
      wsUrls: [fx.server.url],
      consoleUrls: [fx.server.consoleUrl],
      publicUrls: [fx.server.publicUrl],
      username: 'admin',
      generatedPassword: null,
      storeWarnings: [],
      clients: 0,
    });
  });

  it('count the connected WebSocket clients in the app info', async () => {
    const client = await TestClient.connect(fx.server.url);
    expect(await electron.ipcMain.invoke(IPC_CHANNELS.info, CONSOLE)).toMatchObject({ clients: 1 });
    await client.close();
  });

  it('forward every broadcast to the window, and none once it is destroyed', async () => {
    const window = new electron.BrowserWindow({});
    forwardBroadcasts(fx.server.service, window as unknown as electronModule.BrowserWindow);
    await fx.server.service.toggleSystem(true, 'admin');
    expect(window.webContents.send).toHaveBeenCalledWith(
      IPC_CHANNELS.broadcast,
      expect.objectContaining({ type: 'system_status_update', data: { active: true, changed_by: 'admin' } }),
    );
    window.webContents.send.mockClear();
    vi.spyOn(window, 'isDestroyed').mockReturnValue(true);
    await fx.server.service.toggleSystem(false, 'admin');
    expect(window.webContents.send).not.toHaveBeenCalled();
  });
});

describe('sender frame check', () => {
  it('accepts the console page whatever its query or fragment', () => {
    expect(isTrustedFrame({ url: `${PAGE_URL}?view=log#top`, parent: null } as unknown as electronModule.WebFrameMain, PAGE_URL)).toBe(
      true,
    );
  });

  it('rejects a URL it cannot parse', () => {
    expect(isTrustedFrame({ url: 'not a url', parent: null } as unknown as electronModule.WebFrameMain, PAGE_URL)).toBe(false);
  });
});
