/**
 * The IPC contract between the Electron main process, the preload and the renderer: channel
 * names and payload types, in one place so a channel cannot be misspelled on one side. It has
 * no runtime dependencies (type-only imports), so the sandboxed preload and the renderer can
 * import it.
 *
 * Operator commands over IPC are the WebSocket protocol's own request messages (`admin_*`,
 * `get_queue_status`, …): the main process runs them through the same dispatch as the gateway,
 * as the trusted local operator (no session token), so no rule lives in two places.
 */
import type { Broadcast } from './broadcasts.js';
import type { ReplyTo } from './reply-data.js';
import type { RequestMessage, RequestType } from './requests.js';

export const IPC_CHANNELS = {
  /** renderer → main (invoke): one protocol request; resolves with its reply. */
  request: 'pileup:request',
  /** renderer → main (invoke): facts about this app instance. */
  info: 'pileup:info',
  /** main → renderer (send): every broadcast of the core. */
  broadcast: 'pileup:broadcast',
} as const;

export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];

export interface AppInfo {
  version: string;
  /** WebSocket URLs logging software on the LAN should use. */
  wsUrls: string[];
  /** The operator console (`/admin`) and the callers' public page (`/`): LAN addresses first. */
  consoleUrls?: string[];
  publicUrls?: string[];
  username: string;
  /** The first-run password, present only on the run that generated it. */
  generatedPassword: string | null;
  /** Lines skipped in corrupt data files at start-up, in plain words. */
  storeWarnings: string[];
  /** Connections to the embedded server right now (logging software, browsers). */
  clients?: number;
}

/** What the preload exposes as `window.pileup`; nothing else crosses the bridge. */
export interface PileupApi {
  /** One protocol request (no `request_id` or `session_token` needed); resolves with its reply. */
  request<T extends RequestType>(message: RequestMessage<T>): Promise<ReplyTo<T>>;
  info(): Promise<AppInfo>;
  /** Subscribes to broadcasts; returns the unsubscribe function. */
  onBroadcast(listener: (message: Broadcast) => void): () => void;
}
