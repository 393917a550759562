/**
 * The one seam between the renderer and the server. Pages talk to the store; the store talks to
 * a ServerLink: the Electron preload (IpcLink), a WebSocket to the server that served the page
 * (WebSocketLink), or the public relay over NATS for pages served anywhere (NatsLink). All carry
 * the wire protocol's own messages, typed by the server's request schemas and reply contract, so
 * no rule is re-implemented and no reply is guessed at.
 */
import type { Broadcast } from '../../server/protocol/broadcasts.js';
import type { AppInfo } from '../../server/protocol/ipc-contract.js';
import type { ReplyTo } from '../../server/protocol/reply-data.js';
import type { RequestMessage, RequestType } from '../../server/protocol/requests.js';

export type { AppInfo, Broadcast, ReplyTo, RequestMessage, RequestType };

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

export type LinkEvent =
  | { kind: 'broadcast'; message: Broadcast }
  | { kind: 'connection'; state: ConnectionState }
  | { kind: 'session'; loggedIn: boolean }
  /** Changes were missed (the link can tell): take a fresh snapshot. */
  | { kind: 'resync' };

/** Operator login, for links whose admin requests need a session token. */
export interface OperatorSession {
  readonly loggedIn: boolean;
  /** Resolves with the server's reply: `auth_response` on success, an `error` otherwise. */
  login(username: string, password: string): Promise<ReplyTo<'auth_request'>>;
  logout(): Promise<void>;
}

export interface ServerLink {
  readonly connection: ConnectionState;
  /** Absent when the caller is already trusted as the operator (the Electron window). */
  readonly session?: OperatorSession;
  /** Sends one protocol request; rejects with OfflineError when it cannot be delivered. */
  request<T extends RequestType>(message: RequestMessage<T>): Promise<ReplyTo<T>>;
  /**
   * Imports an ADIF file into the QSO log. Answers like `admin_import_adif`, but a link may
   * carry it another way than `request`: a WebSocket frame is capped at 64 KiB, so the browser
   * POSTs the file instead.
   */
  importAdif(adif: string): Promise<ReplyTo<'admin_import_adif'>>;
  info(): Promise<AppInfo>;
  /** How many connections the server has, when this link can tell. */
  connectedClients?(): Promise<number>;
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: LinkEvent) => void): () => void;
  close(): void;
}

/** The request was not answered because the server cannot be reached right now. */
export class OfflineError extends Error {
  constructor(message = 'Not connected to the server') {
    super(message);
    this.name = 'OfflineError';
  }
}
