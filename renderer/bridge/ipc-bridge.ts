/**
 * The Electron window's bridge: `window.pileup` from the preload. The main process runs every
 * request as the trusted local operator, so there is no login and the link never drops.
 */
import type { PileupApi } from '../../server/protocol/ipc-contract.js';
import type { AppInfo, Bridge, BridgeEvent, ConnectionState, IpcReply, IpcRequest } from './bridge.js';

export class IpcBridge implements Bridge {
  readonly connection: ConnectionState = { status: 'online' };

  constructor(private readonly api: PileupApi) {}

  request(message: IpcRequest): Promise<IpcReply> {
    return this.api.request(message);
  }

  /** IPC has no frame cap, so the protocol message carries a file of any size. */
  importAdif(adif: string): Promise<IpcReply> {
    return this.api.request({ type: 'admin_import_adif', adif });
  }

  info(): Promise<AppInfo> {
    return this.api.info();
  }

  async connectedClients(): Promise<number> {
    const { clients } = await this.api.info();
    if (clients === undefined) throw new Error('The desktop app did not report clients');
    return clients;
  }

  subscribe(listener: (event: BridgeEvent) => void): () => void {
    return this.api.onBroadcast((message) => listener({ kind: 'broadcast', message }));
  }

  close(): void {
    // The preload's lifetime is the window's; there is nothing to release.
  }
}
