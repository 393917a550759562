/**
 * The only bridge between the sandboxed console page and the main process: `window.pileup`,
 * exactly the PileupApi of the IPC contract. ipcRenderer itself never crosses the bridge, and
 * listeners get the message only, not the IPC event (whose `sender` would leak ipcRenderer).
 * electron-vite bundles this file to one CommonJS file: sandboxed preloads cannot be ESM.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type { Broadcast } from '../server/protocol/broadcasts.js';
import { type AppInfo, IPC_CHANNELS, type PileupApi } from '../server/protocol/ipc-contract.js';
import type { ReplyTo } from '../server/protocol/reply-data.js';
import type { RequestMessage, RequestType } from '../server/protocol/requests.js';

const api: PileupApi = {
  // The main process answers with dispatch's reply to this very request (the reply contract).
  request: <T extends RequestType>(message: RequestMessage<T>) =>
    ipcRenderer.invoke(IPC_CHANNELS.request, message) as Promise<ReplyTo<T>>,
  info: () => ipcRenderer.invoke(IPC_CHANNELS.info) as Promise<AppInfo>,
  onBroadcast(listener) {
    const forward = (_event: IpcRendererEvent, message: Broadcast) => listener(message);
    ipcRenderer.on(IPC_CHANNELS.broadcast, forward);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.broadcast, forward);
    };
  },
};

contextBridge.exposeInMainWorld('pileup', api);
