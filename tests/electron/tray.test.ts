import path from 'node:path';
import * as electronModule from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTray, type TrayHandle } from '../../electron/tray.js';
import { activeAdmin, startTestServer, TestClient, type TestServer } from '../support/harness.js';
import { freePorts } from '../support/nats-server.js';
import type { FakeElectron, FakeTray } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).createFakeElectron());

const electron = electronModule as unknown as FakeElectron;
const ICONS = '/resources/tray';

let server: TestServer;
let handle: TrayHandle;
let tray: FakeTray;
let listener: TestClient;
const actions = { show: vi.fn(), quit: vi.fn() };

function item(label: string) {
  const found = tray.menu.find((candidate) => candidate.label === label);
  if (!found) throw new Error(`no menu item ${label}`);
  return found;
}

/** Resolves once the tray has caught up with the service (its menu shows `expected`). */
async function trayShows(expected: string): Promise<void> {
  await vi.waitFor(() => expect(tray.tooltip).toBe(expected));
}

function withoutTimestamp(message: Record<string, unknown>): Record<string, unknown> {
  const { timestamp: _ignored, ...rest } = message;
  return rest;
}

beforeEach(async () => {
  server = await startTestServer();
  handle = createTray(server, ICONS, actions);
  const created = electron.fake.trays.at(-1);
  if (!created) throw new Error('no tray was created');
  tray = created;
  listener = await TestClient.connect(server.url);
});

afterEach(async () => {
  handle.destroy();
  await listener.close();
  await server.dispose();
  vi.clearAllMocks();
});

describe('tray', () => {
  it('shows an inactive system with the inactive icon, tooltip and an unchecked box', () => {
    expect(tray.image.path).toBe(path.join(ICONS, 'tray-inactive.png'));
    expect(tray.tooltip).toBe('Pileup Buster: inactive');
    expect(item('System active').checked).toBe(false);
    expect(item('Work next').enabled).toBe(false);
    expect(tray.menu[0]).toMatchObject({ label: 'Pileup Buster: inactive', enabled: false });
  });

  it('switches the real service on from the checkbox, and WebSocket clients get the broadcast', async () => {
    const broadcast = listener.nextBroadcast('system_status_update');
    tray.clickItem('System active');
    expect(await broadcast).toMatchObject({ data: { active: true, changed_by: 'admin' } });
    expect(server.service.status().system_active).toBe(true);
    await trayShows('Pileup Buster: active, 0 stations waiting');
    expect(tray.image.path).toBe(path.join(ICONS, 'tray-active.png'));
    expect(item('System active').checked).toBe(true);
  });

  it('broadcasts exactly what admin_toggle_system over WebSocket broadcasts', async () => {
    const fromTray = listener.nextBroadcast('system_status_update');
    tray.clickItem('System active');
    const trayMessage = await fromTray;

    const admin = await TestClient.connect(server.url);
    await admin.login();
    await admin.admin('admin_toggle_system', { active: false });
    const fromSocket = listener.nextBroadcast('system_status_update', (m) => (m.data as { active: boolean }).active);
    await admin.admin('admin_toggle_system', { active: true });
    expect(withoutTimestamp(await fromSocket)).toEqual(withoutTimestamp(trayMessage));
    await admin.close();
  });

  it('switching off from the tray clears the queue, as the protocol says', async () => {
    const admin = await activeAdmin(server);
    await listener.request('register_callsign', { callsign: 'W1AW' });
    await trayShows('Pileup Buster: active, 1 station waiting');

    const cleared = listener.nextBroadcast('queue_update', (m) => (m.data as { change_type: string }).change_type === 'system_deactivated');
    tray.clickItem('System active');
    await cleared;
    expect(server.service.status()).toMatchObject({ system_active: false, queue_size: 0 });
    await trayShows('Pileup Buster: inactive');
    await admin.close();
  });

  it('rebuilds its menu, tooltip and icon on every change of state, whoever made it', async () => {
    const admin = await activeAdmin(server);
    await trayShows('Pileup Buster: active, 0 stations waiting');
    const menusBefore = tray.setContextMenu.mock.calls.length;

    await listener.request('register_callsign', { callsign: 'K1ABC' });
    await trayShows('Pileup Buster: active, 1 station waiting');
    expect(tray.setContextMenu.mock.calls.length).toBeGreaterThan(menusBefore);
    expect(item('Work next').enabled).toBe(true);
    expect(tray.menu[0]?.label).toBe('Pileup Buster: active, 1 station waiting');
    await admin.close();
  });

  it('works the next station from the menu', async () => {
    const admin = await activeAdmin(server);
    await listener.request('register_callsign', { callsign: 'DL1XYZ' });
    await listener.request('register_callsign', { callsign: 'G4ABC' });
    await trayShows('Pileup Buster: active, 2 stations waiting');

    const started = listener.nextBroadcast('qso_update');
    tray.clickItem('Work next');
    expect(await started).toMatchObject({ data: { callsign: 'DL1XYZ', change_type: 'qso_started' } });
    expect(server.service.currentQso()?.callsign).toBe('DL1XYZ');
    await trayShows('Pileup Buster: active, 1 station waiting');
    await admin.close();
  });

  it('shows the window on a click and from the menu, and quits from the menu', () => {
    tray.emit('click');
    tray.clickItem('Show Pileup Buster');
    expect(actions.show).toHaveBeenCalledTimes(2);
    tray.clickItem('Quit');
    expect(actions.quit).toHaveBeenCalledTimes(1);
  });

  it('leaves the icon alone when a command finishes after Quit removed it', async () => {
    const broadcast = listener.nextBroadcast('system_status_update');
    tray.clickItem('System active');
    handle.destroy();
    const menus = tray.setContextMenu.mock.calls.length;
    await broadcast;
    await server.service.drain();
    expect(tray.setContextMenu.mock.calls.length).toBe(menus);
  });

  it('stops following the service once destroyed', async () => {
    handle.destroy();
    expect(tray.destroyed).toBe(true);
    const menus = tray.setContextMenu.mock.calls.length;
    await server.service.toggleSystem(true, 'admin');
    expect(tray.setContextMenu.mock.calls.length).toBe(menus);
  });

  it('shows the public relay in the tooltip and the menu when it is on, why it is not connected included', async () => {
    const admin = await activeAdmin(server);
    const [closed] = await freePorts(1);
    const set = await admin.admin('admin_set_relay', { enabled: true, servers: [`127.0.0.1:${closed}`], station_id: 'ea8abc' });
    expect(set.type).toBe('success');
    await vi.waitFor(() => expect(tray.tooltip).toMatch(/^Pileup Buster: active, 0 stations waiting; relay error: connection refused/));
    expect(tray.menu[0]).toMatchObject({ label: 'Pileup Buster: active, 0 stations waiting' });
    expect(tray.menu[1]?.label).toMatch(/^Public relay: error: connection refused/);
    await admin.admin('admin_set_relay', { enabled: false });
    await trayShows('Pileup Buster: active, 0 stations waiting');
    expect(tray.menu[1]).toMatchObject({ type: 'separator' });
    await admin.close();
  });
});
