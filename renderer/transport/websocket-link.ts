/**
 * The browser's link: one WebSocket to the server that served the page. It pairs replies with
 * requests by `request_id`, logs the operator in (the token is kept in a SessionStore so a
 * reload stays logged in), notices a dead link with an application-level ping, and reconnects
 * with backoff. After every (re)connect it reports `online`; the store then takes a fresh
 * snapshot, because broadcasts sent while we were away are lost.
 */
import { ADIF_PATH, CONSOLE_PATH, HEALTH_PATH, PUBLIC_PAGE_PATH, WS_PATH } from '../../server/protocol/endpoints.js';
import type { Reply, Welcome } from '../../server/protocol/envelopes.js';
import { failure, success } from '../../server/protocol/reply.js';
import type { ReplyData } from '../../server/protocol/reply-data.js';
import { backoffDelay } from './backoff.js';
import {
  type AppInfo,
  type Broadcast,
  type ConnectionState,
  type LinkEvent,
  OfflineError,
  type OperatorSession,
  type ReplyTo,
  type RequestMessage,
  type RequestType,
  type ServerLink,
} from './server-link.js';
import type { SessionStore } from './session-storage.js';

/** The part of the DOM WebSocket this link uses; tests pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** A failed connection attempt also ends in 'close', which is where reconnecting happens. */
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface WebSocketLinkOptions {
  url: string;
  sessions: SessionStore;
  createSocket?: (url: string) => SocketLike;
  /** A request unanswered for this long fails (the link is probably dead). */
  requestTimeoutMs?: number;
  /** How often an idle link is checked with a `ping`. */
  keepAliveMs?: number;
  fetchJson?: (url: string) => Promise<unknown>;
}

const OPEN = 1;
const SESSION_ERRORS = new Set(['AUTHENTICATION_REQUIRED', 'SESSION_EXPIRED']);

interface Pending {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** `ws://host:port/api/ws` for the page at `location` (wss:// behind https). */
export function wsUrlFor(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`;
}

/** The same origin as the WebSocket, over HTTP(S): what the page's CSP `connect-src 'self'` allows. */
function httpUrlFor(wsUrl: string, pathname: string): string {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = pathname;
  return url.toString();
}

/** The HTTP import's answer as the protocol reply `admin_import_adif` would have given. */
async function importReply(response: Response): Promise<ReplyTo<'admin_import_adif'>> {
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  // The endpoint answers with admin_import_adif's own data (server/gateway/adif-http.ts).
  if (response.ok) return success(null, 'ADIF imported into the QSO log', body as ReplyData<'admin_import_adif'>);
  const said = typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
  if (response.status === 401) return failure(null, 'AUTHENTICATION_REQUIRED', said);
  if (response.status === 400 || response.status === 413) return failure(null, 'INVALID_REQUEST', said);
  return failure(null, 'SYSTEM_ERROR', said);
}

type Frame = Reply | Broadcast | Welcome;

/** A frame of the server (replies, broadcasts, the welcome); anything else is ignored. */
function parseFrame(data: unknown): Frame | null {
  if (typeof data !== 'string') return null;
  try {
    const message: unknown = JSON.parse(data);
    if (typeof message !== 'object' || message === null || typeof (message as { type?: unknown }).type !== 'string') {
      return null;
    }
    return message as Frame;
  } catch {
    return null;
  }
}

export class WebSocketLink implements ServerLink, OperatorSession {
  readonly session: OperatorSession = this;
  private state: ConnectionState = { status: 'connecting' };
  private socket: SocketLike | null = null;
  private readonly listeners = new Set<(event: LinkEvent) => void>();
  private readonly pending = new Map<string, Pending>();
  private counter = 0;
  private attempt = 0;
  private serverVersion = '';
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private keepAliveTimer: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  private readonly createSocket: (url: string) => SocketLike;
  private readonly requestTimeoutMs: number;
  private readonly fetchJson: (url: string) => Promise<unknown>;

  constructor(private readonly options: WebSocketLinkOptions) {
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url));
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.fetchJson = options.fetchJson ?? (async (url) => (await fetch(url, { cache: 'no-store' })).json());
    this.connect();
    this.keepAliveTimer = setInterval(() => this.keepAlive(), options.keepAliveMs ?? 25_000);
  }

  get connection(): ConnectionState {
    return this.state;
  }

  get loggedIn(): boolean {
    return this.options.sessions.read() !== null;
  }

  subscribe(listener: (event: LinkEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  request<T extends RequestType>(message: RequestMessage<T>): Promise<ReplyTo<T>> {
    return this.send(message, this.requestTimeoutMs);
  }

  async login(username: string, password: string): Promise<ReplyTo<'auth_request'>> {
    const reply = await this.send({ type: 'auth_request', username, password }, this.requestTimeoutMs, false);
    if (reply.type === 'auth_response') {
      this.options.sessions.write({ token: reply.session_token, username });
      this.emit({ kind: 'session', loggedIn: true });
    }
    return reply;
  }

  async logout(): Promise<void> {
    if (!this.loggedIn) return;
    // Forget the token first: the operator is logged out here even if the server is unreachable.
    const token = this.options.sessions.read()?.token;
    this.dropSession();
    await this.send({ type: 'auth_logout' }, this.requestTimeoutMs, false, token).catch(() => undefined);
  }

  /**
   * A WebSocket frame is capped at 64 KiB, far below a contest log, so the file goes as one
   * HTTP POST with the session token as a Bearer header (never in the URL).
   */
  async importAdif(adif: string): Promise<ReplyTo<'admin_import_adif'>> {
    const token = this.options.sessions.read()?.token;
    if (token === undefined) return failure(null, 'AUTHENTICATION_REQUIRED', 'Log in to import a log');
    let response: Response;
    try {
      response = await fetch(httpUrlFor(this.options.url, ADIF_PATH), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain; charset=utf-8' },
        body: adif,
        cache: 'no-store',
      });
    } catch {
      throw new OfflineError();
    }
    const reply = await importReply(response);
    if (reply.type === 'error' && SESSION_ERRORS.has(reply.error_code)) this.dropSession();
    return reply;
  }

  async info(): Promise<AppInfo> {
    return {
      version: this.serverVersion,
      wsUrls: [this.options.url],
      consoleUrls: [httpUrlFor(this.options.url, CONSOLE_PATH)],
      publicUrls: [httpUrlFor(this.options.url, PUBLIC_PAGE_PATH)],
      username: this.options.sessions.read()?.username ?? '',
      generatedPassword: null,
      storeWarnings: [],
    };
  }

  async connectedClients(): Promise<number> {
    const health = (await this.fetchJson(httpUrlFor(this.options.url, HEALTH_PATH))) as { clients?: unknown };
    if (typeof health.clients !== 'number') throw new Error('The health endpoint did not report clients');
    return health.clients;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.keepAliveTimer);
    this.socket?.close(1000, 'Page closed');
    this.failPending(new OfflineError('The page was closed'));
  }

  private connect(): void {
    const socket = this.createSocket(this.options.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.attempt = 0;
      this.setState({ status: 'online' });
      if (this.loggedIn) void this.checkSession();
    });
    socket.addEventListener('message', (event) => this.receive(event.data));
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failPending(new OfflineError());
      if (this.closed) return;
      this.attempt += 1;
      this.setState({ status: 'offline', attempt: this.attempt });
      this.retryTimer = setTimeout(() => {
        this.setState({ status: 'connecting' });
        this.connect();
      }, backoffDelay(this.attempt));
    });
  }

  /** A token the server no longer knows (expired, revoked, password changed) means: log in again. */
  private async checkSession(): Promise<void> {
    const reply = await this.request({ type: 'ping' }).catch(() => null);
    if (reply?.type === 'pong' && reply.session_valid === false) this.dropSession();
  }

  private keepAlive(): void {
    if (this.socket?.readyState !== OPEN) return;
    const socket = this.socket;
    // A half-open TCP link can stay silent for minutes; an unanswered ping means it is gone.
    this.send({ type: 'ping' }, this.requestTimeoutMs, false).catch(() => {
      if (this.socket === socket) socket.close(4000, 'No answer to ping');
    });
  }

  /**
   * The server answers each request with the reply its type promises (its handlers are typed
   * by the reply contract), so the reply to a `T` is read as a ReplyTo<T>.
   */
  private send<T extends RequestType>(
    message: RequestMessage<T>,
    timeoutMs: number,
    withToken = true,
    token = withToken ? this.options.sessions.read()?.token : undefined,
  ): Promise<ReplyTo<T>> {
    const socket = this.socket;
    if (socket === null || socket.readyState !== OPEN) return Promise.reject(new OfflineError());
    const requestId = `r${++this.counter}`;
    return new Promise<ReplyTo<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new OfflineError('The server did not answer in time'));
      }, timeoutMs);
      this.pending.set(requestId, { resolve: (reply) => resolve(reply as ReplyTo<T>), reject, timer });
      socket.send(JSON.stringify({ ...message, request_id: requestId, ...(token !== undefined && { session_token: token }) }));
    });
  }

  private receive(data: unknown): void {
    const message = parseFrame(data);
    if (message === null) return;
    if ('request_id' in message) {
      const pending = typeof message.request_id === 'string' ? this.pending.get(message.request_id) : undefined;
      if (pending === undefined) return;
      this.pending.delete(message.request_id as string);
      clearTimeout(pending.timer);
      if (message.type === 'error' && SESSION_ERRORS.has(message.error_code)) this.dropSession();
      pending.resolve(message);
      return;
    }
    if (message.type === 'welcome') {
      this.serverVersion = message.data.server_version;
      return;
    }
    this.emit({ kind: 'broadcast', message });
  }

  private dropSession(): void {
    if (!this.loggedIn) return;
    this.options.sessions.write(null);
    this.emit({ kind: 'session', loggedIn: false });
  }

  private failPending(error: Error): void {
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(error);
    }
    this.pending.clear();
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.emit({ kind: 'connection', state });
  }

  private emit(event: LinkEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
