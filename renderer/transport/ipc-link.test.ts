import { describe, expect, it, vi } from 'vitest';
import type { AppInfo, PileupApi } from '../../server/protocol/ipc-contract.js';
import { IpcLink } from './ipc-link.js';

const INFO: AppInfo = { version: '0.1.0', wsUrls: [], username: 'admin', generatedPassword: null, storeWarnings: [] };

function apiWith(info: AppInfo): PileupApi {
  return { request: vi.fn(), info: vi.fn(async () => info), onBroadcast: vi.fn(() => () => undefined) };
}

describe('IpcLink connected clients', () => {
  it('reads the count from the desktop app info', async () => {
    expect(await new IpcLink(apiWith({ ...INFO, clients: 3 })).connectedClients()).toBe(3);
  });

  it('refuses when the app info carries no count, so the console shows none rather than 0', async () => {
    await expect(new IpcLink(apiWith(INFO)).connectedClients()).rejects.toThrow(/did not report/);
  });
});
