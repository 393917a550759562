/**
 * A scripted ServerLink for store and component tests: it records every request, answers with a
 * handler the test sets per type, and lets the test push broadcasts and connection changes.
 */
import { DEFAULTS } from '../../server/config/defaults.js';
import { settingsView } from '../../server/relay/relay-settings.js';
import type { BridgesSnapshot } from '../../server/protocol/bridges.js';
import type { Status } from '../../server/protocol/entities.js';
import { DEFAULT_STATION, stationSnapshot } from '../../server/protocol/station.js';
import type { ErrorReply, Reply } from '../../server/protocol/envelopes.js';
import type { ErrorCode } from '../../server/protocol/errors.js';
import type { RelaySnapshot } from '../../server/protocol/relay.js';
import { type RigStatus, rigStatusOff } from '../../server/protocol/rig.js';
import type {
  AppInfo,
  Broadcast,
  ConnectionState,
  LinkEvent,
  OperatorSession,
  ReplyTo,
  RequestMessage,
  RequestType,
  ServerLink,
} from '../transport/server-link.js';

/** A request as the fake sees it: any of the protocol's messages, fields readable by name. */
export type SentRequest = RequestMessage & Record<string, unknown>;
type Answer = (request: SentRequest) => Reply | Promise<Reply>;

export const NOW_ISO = '2025-07-23T10:30:00.000Z';

/** `admin_get_relay` of a station whose public relay is switched off (the default). */
export const RELAY_OFF: RelaySnapshot = {
  settings: settingsView(DEFAULTS.relay),
  overridden: [],
  status: { state: 'off', reason: null, server: null, station_id: null, since: null, requests_answered: 0, requests_dropped: 0, events_published: 0 },
};

/** The rigctld client as a fresh install has it: off, at rigctld's default address. */
export const RIG_OFF: RigStatus = rigStatusOff(DEFAULTS.bridges.rigctld_host, DEFAULTS.bridges.rigctld_port);
/** Both logger bridges and the rig off, as on a fresh install. */
export const BRIDGES_OFF: BridgesSnapshot = { settings: DEFAULTS.bridges, bridges: [], rig: RIG_OFF };

export function success(data: object = {}, message = 'OK'): Reply {
  return { type: 'success', request_id: null, message, data };
}

export function refusal(error_code: ErrorCode, details?: Record<string, unknown>): ErrorReply {
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
    station: { callsign: null, locator: null, worked_times: false, recent_qsos: true },
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
    private readonly link: FakeLink,
    loggedIn: boolean,
  ) {
    this.loggedIn = loggedIn;
  }

  async login(_username: string, password: string): Promise<ReplyTo<'auth_request'>> {
    if (password !== this.password) return refusal('AUTHENTICATION_FAILED');
    this.loggedIn = true;
    this.link.emit({ kind: 'session', loggedIn: true });
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
    this.link.emit({ kind: 'session', loggedIn: false });
  }
}

export class FakeLink implements ServerLink {
  connection: ConnectionState;
  readonly session?: FakeSession;
  readonly requests: SentRequest[] = [];
  readonly answers = new Map<string, Answer>();
  clients = 3;
  appInfo: AppInfo = { version: '0.1.0', wsUrls: ['ws://192.168.1.20:8000/api/ws'], username: 'admin', generatedPassword: null, storeWarnings: [] };
  private readonly listeners = new Set<(event: LinkEvent) => void>();

  constructor(options: { login?: 'none' | 'logged-in' | 'logged-out'; status?: Status; online?: boolean } = {}) {
    this.connection = options.online === false ? { status: 'connecting' } : { status: 'online' };
    if (options.login !== undefined && options.login !== 'none') this.session = new FakeSession(this, options.login === 'logged-in');
    const snapshot = options.status ?? status();
    this.answer('get_queue_status', () => success(snapshot));
    this.answer('admin_get_status', () =>
      success({ ...snapshot, active_sessions: 1, recent_qso_ends: [], storage: { writable: true, reason: null, message: null, file: null, since: null } }),
    );
    this.answer('admin_get_relay', () => success(RELAY_OFF));
    this.answer('admin_get_bridges', () => success(BRIDGES_OFF));
    this.answer('admin_get_log', (request) => success({ total: 0, offset: request.offset ?? 0, entries: [] }));
    this.answer('admin_get_station', () => success(stationSnapshot(DEFAULT_STATION)));
    this.answer('admin_set_station', (request) => {
      const { type: _type, sounds, ...changes } = request as SentRequest & { sounds?: object };
      return success(stationSnapshot({ ...DEFAULT_STATION, ...changes, sounds: { ...DEFAULT_STATION.sounds, ...sounds } }));
    });
    this.answer('admin_get_bridges', () => success({ settings: DEFAULTS.bridges, bridges: [], rig: RIG_OFF }));
    this.answer('get_recent_qsos', () => success({ shown: true, qsos: [] }));
    this.answer('admin_get_controls', () =>
      success({ rate_limit_count: 10, rate_limit_window_s: 60, rate_limit_exempt_loopback: true, worked_recently_minutes: 0, registration_paused: false, bans: [] }),
    );
    this.answer('admin_ban_callsign', (request) =>
      success({
        callsign: request.callsign,
        reason: request.reason ?? null,
        banned_at: NOW_ISO,
        only_this_form: request.only_this_form ?? false,
        removed_from_queue: false,
        removed_callsigns: [],
        banned_count: 1,
      }),
    );
    this.answer('admin_unban_callsign', (request) => success({ callsign: request.callsign, unbanned: true, banned_count: 0, restored_to_queue: [] }));
  }

  answer(type: RequestType, answer: Answer): void {
    this.answers.set(type, answer);
  }

  /** Requests of `type` sent so far. */
  sent(type: RequestType): SentRequest[] {
    return this.requests.filter((request) => request.type === type);
  }

  /** The test scripts each answer; it stands in for the server's reply contract. */
  async request<T extends RequestType>(message: RequestMessage<T>): Promise<ReplyTo<T>> {
    const sent = message as SentRequest;
    this.requests.push(sent);
    const answer = this.answers.get(sent.type);
    return (answer ? await answer(sent) : success()) as ReplyTo<T>;
  }

  /** Recorded and answered as an `admin_import_adif` request, like the Electron link sends it. */
  importAdif(adif: string): Promise<ReplyTo<'admin_import_adif'>> {
    return this.request({ type: 'admin_import_adif', adif });
  }

  async info(): Promise<AppInfo> {
    return this.appInfo;
  }

  async connectedClients(): Promise<number> {
    return this.clients;
  }

  subscribe(listener: (event: LinkEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
  }

  emit(event: LinkEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  broadcast(message: Broadcast): void {
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
