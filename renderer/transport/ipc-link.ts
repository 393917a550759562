/**
 * The Electron window's link: `window.pileup` from the preload. The main process runs every
 * request as the trusted local operator, so there is no login and the link never drops.
 */
import type { PileupApi } from '../../server/protocol/ipc-contract.js';
import type { AppInfo, ConnectionState, LinkEvent, ReplyTo, RequestMessage, RequestType, ServerLink } from './server-link.js';

export class IpcLink implements ServerLink {
  readonly connection: ConnectionState = { status: 'online' };

  constructor(private readonly api: PileupApi) {}

  request<T extends RequestType>(message: RequestMessage<T>): Promise<ReplyTo<T>> {
    return this.api.request(message);
  }

  /** IPC has no frame cap, so the protocol message carries a file of any size. */
  importAdif(adif: string): Promise<ReplyTo<'admin_import_adif'>> {
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

  subscribe(listener: (event: LinkEvent) => void): () => void {
    return this.api.onBroadcast((message) => listener({ kind: 'broadcast', message }));
  }

  close(): void {
    // The preload's lifetime is the window's; there is nothing to release.
  }
}
