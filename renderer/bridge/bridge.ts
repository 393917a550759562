/**
 * The one seam between the renderer and the server. Pages talk to the store; the store talks to
 * a Bridge: the Electron preload (IpcBridge), a WebSocket to the server that served the page
 * (WebSocketBridge), or the public relay over NATS for pages served anywhere (NatsBridge). All
 * carry the wire protocol's own messages, so no rule is re-implemented.
 */
import type { AppInfo, IpcBroadcast, IpcReply, IpcRequest } from '../../server/protocol/ipc-contract.js';

export type { AppInfo, IpcBroadcast, IpcReply, IpcRequest };

export type ConnectionState =
  | { status: 'connecting' }
  | { status: 'online' }
  /** Lost; `attempt` (1-based) is the reconnect attempt being waited for. */
  | { status: 'offline'; attempt: number }
  /**
   * The relay is reachable but the station is not (its heartbeat is missing or stale): what the
   * page shows is as of `lastSeen` (ISO, the station's last heartbeat), if ever.
   */
  | { status: 'station-offline'; lastSeen: string | null };

export type BridgeEvent =
  | { kind: 'broadcast'; message: IpcBroadcast }
  | { kind: 'connection'; state: ConnectionState }
  | { kind: 'session'; loggedIn: boolean }
  /** Changes were missed (the bridge can tell): take a fresh snapshot. */
  | { kind: 'resync' };

/** Operator login, for bridges whose admin requests need a session token. */
export interface OperatorSession {
  readonly loggedIn: boolean;
  /** Resolves with the server's reply: `auth_response` on success, an `error` otherwise. */
  login(username: string, password: string): Promise<IpcReply>;
  logout(): Promise<void>;
}

export interface Bridge {
  readonly connection: ConnectionState;
  /** Absent when the caller is already trusted as the operator (the Electron window). */
  readonly session?: OperatorSession;
  /** Sends one protocol request; rejects with BridgeOfflineError when it cannot be delivered. */
  request(message: IpcRequest): Promise<IpcReply>;
  /**
   * Imports an ADIF file into the QSO log. Answers like `admin_import_adif` (a `success` whose
   * data is `{ imported, skipped, total }`, or an `error`), but a bridge may carry it another way
   * than `request`: a WebSocket frame is capped at 64 KiB, so the browser POSTs the file instead.
   */
  importAdif(adif: string): Promise<IpcReply>;
  info(): Promise<AppInfo>;
  /** How many connections the server has, when this bridge can tell. */
  connectedClients?(): Promise<number>;
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: BridgeEvent) => void): () => void;
  close(): void;
}

/** The request was not answered because the server cannot be reached right now. */
export class BridgeOfflineError extends Error {
  constructor(message = 'Not connected to the server') {
    super(message);
    this.name = 'BridgeOfflineError';
  }
}
