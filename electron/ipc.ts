/**
 * The main-process side of the IPC contract. A renderer request runs through the server's own
 * dispatch as the trusted local operator, so IPC and WebSocket share one code path; every
 * broadcast of the core is forwarded to the window. Only the console page in the window's top
 * frame is answered: any other frame (an injected iframe, a page navigated to by a bug) is refused.
 */
import { type BrowserWindow, type IpcMainInvokeEvent, ipcMain, type WebFrameMain } from 'electron';
import type { RunningServer } from '../server/app.js';
import type { PileupService } from '../server/core/pileup-service.js';
import type { Broadcast } from '../server/protocol/broadcasts.js';
import type { Reply } from '../server/protocol/envelopes.js';
import { type AppInfo, IPC_CHANNELS } from '../server/protocol/ipc-contract.js';

export function isTrustedFrame(frame: WebFrameMain | null, pageUrl: string): boolean {
  if (frame === null || frame.parent !== null) return false;
  try {
    const url = new URL(frame.url);
    // The console may keep its view in the query or fragment; the document is what counts.
    url.search = '';
    url.hash = '';
    return url.href === pageUrl;
  } catch {
    return false;
  }
}

export interface IpcOptions {
  server: Pick<RunningServer, 'localRequest'>;
  info(): AppInfo;
  /** The file:// URL of the console page. */
  pageUrl: string;
}

export function registerIpc({ server, info, pageUrl }: IpcOptions): void {
  const checkSender = (event: IpcMainInvokeEvent) => {
    if (!isTrustedFrame(event.senderFrame, pageUrl)) {
      throw new Error('Refused: IPC is answered only for the Pileup Buster console page');
    }
  };
  ipcMain.handle(IPC_CHANNELS.request, (event, message: unknown): Promise<Reply> => {
    checkSender(event);
    if (typeof message !== 'object' || message === null) {
      throw new TypeError('A request is an object such as { type: "get_queue_status" }');
    }
    // Checked like a wire frame: the page is sandboxed, but its messages are still input.
    return server.localRequest(message);
  });
  ipcMain.handle(IPC_CHANNELS.info, (event) => {
    checkSender(event);
    return info();
  });
}

export function forwardBroadcasts(service: PileupService, window: BrowserWindow): void {
  service.on('broadcast', (message: Broadcast) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_CHANNELS.broadcast, message);
  });
}
