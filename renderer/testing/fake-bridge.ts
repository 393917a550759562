/**
 * A scripted Bridge for store and component tests: it records every request, answers with a
 * handler the test sets per type, and lets the test push broadcasts and connection changes.
 */
import type {
  AppInfo,
  Bridge,
  BridgeEvent,
  ConnectionState,
  IpcBroadcast,
  IpcReply,
  IpcRequest,
  OperatorSession,
} from '../bridge/bridge.js';
import type { Status } from '../../server/protocol/replies.js';

type Answer = (request: IpcRequest) => IpcReply | Promise<IpcReply>;

export const NOW_ISO = '2025-07-23T10:30:00.000Z';

export function success(data: Record<string, unknown> = {}, message = 'OK'): IpcReply {
  return { type: 'success', request_id: null, message, data };
}

export function refusal(error_code: Extract<IpcReply, { type: 'error' }>['error_code'], details?: Record<string, unknown>): IpcReply {
  return { type: 'error', request_id: null, error_code, message: `refused: ${error_code}`, ...(details && { details }) };
}

export function status(overrides: Partial<Status> = {}): Status {
  return {
    system_active: true,
    queue_size: 0,
    max_queue_size: 4,
    current_qso: null,
    queue: [],
    registration_enabled: true,
    registration_paused: false,
    frequency: null,
    mode: null,
    split: null,
    ...overrides,
  };
}

export function queueOf(...callsigns: string[]): Status['queue'] {
  return callsigns.map((callsign, index) => ({ callsign, position: index + 1, timestamp: NOW_ISO }));
}

class FakeSession implements OperatorSession {
  loggedIn: boolean;
  password = 'right-password';

  constructor(
    private readonly bridge: FakeBridge,
    loggedIn: boolean,
  ) {
    this.loggedIn = loggedIn;
  }

  async login(_username: string, password: string): Promise<IpcReply> {
    if (password !== this.password) return refusal('AUTHENTICATION_FAILED');
    this.loggedIn = true;
    this.bridge.emit({ kind: 'session', loggedIn: true });
    return {
      type: 'auth_response',
      request_id: null,
      success: true,
      authenticated: true,
      session_token: 'f'.repeat(64),
      expires_at: NOW_ISO,
      message: 'Authentication successful',
    };
  }

  async logout(): Promise<void> {
    this.loggedIn = false;
    this.bridge.emit({ kind: 'session', loggedIn: false });
  }
}

export class FakeBridge implements Bridge {
  connection: ConnectionState;
  readonly session?: FakeSession;
  readonly requests: IpcRequest[] = [];
  readonly answers = new Map<string, Answer>();
  clients = 3;
  appInfo: AppInfo = { version: '0.1.0', wsUrls: ['ws://192.168.1.20:8000/api/ws'], username: 'admin', generatedPassword: null, storeWarnings: [] };
  private readonly listeners = new Set<(event: BridgeEvent) => void>();

  constructor(options: { login?: 'none' | 'logged-in' | 'logged-out'; status?: Status; online?: boolean } = {}) {
    this.connection = options.online === false ? { status: 'connecting' } : { status: 'online' };
    if (options.login !== undefined && options.login !== 'none') this.session = new FakeSession(this, options.login === 'logged-in');
    const snapshot = options.status ?? status();
    this.answer('get_queue_status', () => success(snapshot as unknown as Record<string, unknown>));
    this.answer('admin_get_log', (request) => success({ total: 0, offset: request.offset ?? 0, entries: [] }));
  }

  answer(type: string, answer: Answer): void {
    this.answers.set(type, answer);
  }

  /** Requests of `type` sent so far. */
  sent(type: string): IpcRequest[] {
    return this.requests.filter((request) => request.type === type);
  }

  async request(message: IpcRequest): Promise<IpcReply> {
    this.requests.push(message);
    const answer = this.answers.get(message.type);
    return answer ? answer(message) : success();
  }

  /** Recorded and answered as an `admin_import_adif` request, like the Electron bridge sends it. */
  importAdif(adif: string): Promise<IpcReply> {
    return this.request({ type: 'admin_import_adif', adif });
  }

  async info(): Promise<AppInfo> {
    return this.appInfo;
  }

  async connectedClients(): Promise<number> {
    return this.clients;
  }

  subscribe(listener: (event: BridgeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
  }

  emit(event: BridgeEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  broadcast(message: IpcBroadcast): void {
    this.emit({ kind: 'broadcast', message });
  }

  setConnection(state: ConnectionState): void {
    this.connection = state;
    this.emit({ kind: 'connection', state });
  }
}

/** Lets pending promise callbacks (the store's request chains) run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await Promise.resolve();
}
