import * as electronModule from 'electron';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, type PileupApi } from '../../server/protocol/ipc-contract.js';
import type { FakeElectron } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).createFakeElectron());

const electron = electronModule as unknown as FakeElectron;

let api: PileupApi;

beforeAll(async () => {
  await import('../../electron/preload.js');
  const [key, exposed] = electron.contextBridge.exposeInMainWorld.mock.calls[0] ?? [];
  expect(key).toBe('pileup');
  api = exposed as PileupApi;
});

describe('preload bridge', () => {
  it('exposes exactly one API, window.pileup, with request, info and onBroadcast', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(Object.keys(api).sort()).toEqual(['info', 'onBroadcast', 'request']);
    for (const member of Object.values(api)) expect(typeof member).toBe('function');
  });

  it('never hands out ipcRenderer or any of its methods', () => {
    const members = Object.values(api) as unknown[];
    expect(members).not.toContain(electron.ipcRenderer);
    expect(members).not.toContain(electron.ipcRenderer.invoke);
    expect(members).not.toContain(electron.ipcRenderer.on);
  });

  it('sends a request on the request channel and resolves with the reply', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ type: 'success', request_id: null, message: 'ok' });
    await expect(api.request({ type: 'get_queue_status' })).resolves.toMatchObject({ type: 'success' });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(IPC_CHANNELS.request, { type: 'get_queue_status' });
  });

  it('asks for the app info on the info channel', async () => {
    await api.info();
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(IPC_CHANNELS.info);
  });

  it('gives broadcast listeners the message only, not the IPC event', () => {
    const listener = vi.fn();
    const unsubscribe = api.onBroadcast(listener);
    const message = { type: 'system_status_update', data: { active: true, changed_by: 'admin' } };
    electron.ipcRenderer.emit(IPC_CHANNELS.broadcast, { sender: electron.ipcRenderer }, message);
    expect(listener).toHaveBeenCalledWith(message);
    expect(listener.mock.calls[0]).toHaveLength(1);
    unsubscribe();
  });

  it('stops calling a listener once it unsubscribed', () => {
    const listener = vi.fn();
    const unsubscribe = api.onBroadcast(listener);
    unsubscribe();
    electron.ipcRenderer.emit(IPC_CHANNELS.broadcast, {}, { type: 'queue_update' });
    expect(listener).not.toHaveBeenCalled();
    expect(electron.ipcRenderer.listenerCount(IPC_CHANNELS.broadcast)).toBe(0);
  });
});
