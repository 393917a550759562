/**
 * The public pages' link when they are served anywhere (a static site): the station's public
 * relay over NATS, through the NATS server's WebSocket (`wsconnect`). It
 * - reads the pileup from the station's KV `status` (never by asking the station: ten thousand
 *   watchers reconnecting at once must not land on the operator's uplink) and follows the
 *   station's events, dropping any that are older than the snapshot it read;
 * - sends the public requests (register_callsign, …) on `pileup.<station>.request`;
 * - watches the station's `presence` heartbeat and says "station offline" when it is older than
 *   45 s or the station said goodbye, so the page never shows stale data as if it were live;
 * - reconnects by itself, with backoff, and takes a fresh snapshot whenever it may have missed
 *   something (its own reconnect, the station coming back, a change it heard of only through
 *   the heartbeat, such as a pause).
 */
import { jetstream } from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import { type ConnectionOptions, type NatsConnection, NoRespondersError, type Status, TimeoutError, wsconnect } from '@nats-io/nats-core';
import { broadcastSchema } from '../../server/protocol/broadcasts.js';
import type { Reply } from '../../server/protocol/envelopes.js';
import { failure, success } from '../../server/protocol/reply.js';
import { isRelayEventType, isStationId, PRESENCE_KEY, PRESENCE_STALE_MS, relayNames, STATUS_KEY } from '../../server/protocol/relay.js';
import { type Presence, presenceSchema, relayStatusSnapshotSchema } from '../../server/protocol/relay-snapshot.js';
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

export interface NatsLinkOptions {
  /** The relay's WebSocket URL(s), e.g. wss://relay.example.org/nats. */
  servers: string[];
  station: string;
  /** How to open the connection; tests pass the Node client's TCP `connect`. */
  connect?: (options: ConnectionOptions) => Promise<NatsConnection>;
  /** Local time (ms): the heartbeat's age is measured with it. */
  now?: () => number;
  /** How often the heartbeat's age is looked at. */
  checkEveryMs?: number;
  requestTimeoutMs?: number;
}

/** A heartbeat, and when it arrived by our own clock (station and phone clocks disagree). */
interface Heard {
  presence: Presence;
  heardAt: number;
}

function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}

/** The client wraps some errors (a request's "no responders" in a RequestError). */
function isOrCausedBy(error: unknown, kind: abstract new (...args: never[]) => Error): boolean {
  return error instanceof kind || (error as { cause?: unknown } | null)?.cause instanceof kind;
}

/** Callers never log in here: the relay carries no admin request. */
const NO_SESSION: OperatorSession = {
  loggedIn: false,
  login: async () => failure(null, 'INVALID_REQUEST', 'Operators log in on the station, not through the relay'),
  logout: async () => undefined,
};

export class NatsLink implements ServerLink {
  readonly session = NO_SESSION;
  private state: ConnectionState = { status: 'connecting' };
  private nc: NatsConnection | null = null;
  private kv: KV | null = null;
  private heard: Heard | null = null;
  /** The newest change we know of: the snapshot's `updated_at` or a later event's timestamp. */
  private newestChange = 0;
  /** Events held while a snapshot is being read, so none is applied before it and lost. */
  private held: Broadcast[] | null = null;
  private counter = 0;
  private attempt = 0;
  private closed = false;
  private readonly listeners = new Set<(event: LinkEvent) => void>();
  private readonly names;
  private readonly now: () => number;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly options: NatsLinkOptions) {
    this.names = relayNames(options.station);
    this.now = options.now ?? Date.now;
    this.timer = setInterval(() => this.judge(), options.checkEveryMs ?? 5000);
    void this.run();
  }

  get connection(): ConnectionState {
    return this.state;
  }

  subscribe(listener: (event: LinkEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The station answers with its dispatch's reply to this very request (the reply contract). */
  async request<T extends RequestType>(message: RequestMessage<T>): Promise<ReplyTo<T>> {
    return (await this.send(message)) as ReplyTo<T>;
  }

  private async send(message: { type: RequestType }): Promise<Reply> {
    const nc = this.nc;
    if (nc === null || this.state.status === 'connecting' || this.state.status === 'offline') throw new OfflineError();
    if (message.type === 'get_queue_status') return this.readStatus();
    const request_id = `n${++this.counter}`;
    try {
      const reply = await nc.request(this.names.requests, JSON.stringify({ ...message, request_id }), {
        timeout: this.options.requestTimeoutMs ?? 10_000,
      });
      const parsed = parseJson(reply.data) as Reply | undefined;
      if (parsed === undefined || typeof parsed !== 'object' || parsed === null) throw new OfflineError('The station gave an unreadable answer');
      return parsed;
    } catch (error) {
      if (error instanceof OfflineError) throw error;
      if (isOrCausedBy(error, NoRespondersError)) throw new OfflineError('The station is offline right now');
      if (isOrCausedBy(error, TimeoutError)) throw new OfflineError('The station did not answer in time');
      throw new OfflineError();
    }
  }

  async importAdif(): Promise<ReplyTo<'admin_import_adif'>> {
    return failure(null, 'INVALID_REQUEST', 'Not available through the relay');
  }

  async info(): Promise<AppInfo> {
    return { version: '', wsUrls: [], username: '', generatedPassword: null, storeWarnings: [] };
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    void this.nc?.close().catch(() => undefined);
  }

  /** One connection for the page's life; the client reconnects it (to any server it knows). */
  private async run(): Promise<void> {
    const connect = this.options.connect ?? wsconnect;
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: this.options.servers,
        name: `pileup public page (${this.options.station})`,
        waitOnFirstConnect: true,
        maxReconnectAttempts: -1,
        // Ten thousand pages that lost the same server must not all come back in the same second.
        reconnectDelayHandler: () => backoffDelay(++this.attempt, 1000, 30_000),
        pingInterval: 20_000,
        maxPingOut: 2,
      });
    } catch {
      if (!this.closed) this.setState({ status: 'offline', attempt: 1 });
      return;
    }
    if (this.closed) {
      await nc.close().catch(() => undefined);
      return;
    }
    this.nc = nc;
    this.kv = await new Kvm(jetstream(nc, { checkAPI: false })).open(this.names.bucket, { allow_direct: true });
    nc.subscribe(this.names.events, { callback: (_error, msg) => this.onEvent(parseJson(msg.data)) });
    nc.subscribe(this.names.presenceSubject, { callback: (_error, msg) => this.onPresence(parseJson(msg.data), this.now()) });
    await this.connected();
    for await (const status of nc.status() as AsyncIterable<Status>) {
      if (this.closed) return;
      if (status.type === 'disconnect') this.setState({ status: 'offline', attempt: Math.max(1, this.attempt) });
      if (status.type === 'reconnect') {
        this.attempt = 0;
        await this.connected();
      }
    }
  }

  /** Connected (again): what is the station doing? The store takes its snapshot on `online`. */
  private async connected(): Promise<void> {
    this.heard = null;
    try {
      const entry = await this.kv?.get(PRESENCE_KEY);
      const presence = entry === null || entry === undefined ? null : presenceSchema.safeParse(entry.json());
      if (presence?.success) {
        // Its age by our clock cannot be known for one read earlier: trust it only as far as it is old.
        const age = Math.max(0, this.now() - Date.parse(presence.data.at));
        this.heard = { presence: presence.data, heardAt: this.now() - age };
      }
    } catch {
      // No bucket yet (the station never connected): offline until a heartbeat arrives.
    }
    this.setState({ status: 'connecting' });
    this.judge();
  }

  private onPresence(value: unknown, heardAt: number): void {
    const presence = presenceSchema.safeParse(value);
    if (!presence.success) return;
    this.heard = { presence: presence.data, heardAt };
    this.judge();
  }

  /** Decides online or station-offline from the heartbeat's age, and asks for a snapshot when one is due. */
  private judge(): void {
    if (this.nc === null || this.state.status === 'offline') return;
    const heard = this.heard;
    const fresh = heard !== null && heard.presence.online && this.now() - heard.heardAt <= PRESENCE_STALE_MS;
    if (!fresh) {
      if (this.state.status !== 'station-offline') this.setState({ status: 'station-offline', lastSeen: heard?.presence.at ?? null });
      return;
    }
    if (this.state.status !== 'online') {
      this.setState({ status: 'online' });
      return;
    }
    const statusAt = heard.presence.status_updated_at === undefined ? 0 : Date.parse(heard.presence.status_updated_at);
    if (statusAt > this.newestChange) {
      // A change we have no event for (a pause, or an event lost on the way): read the snapshot.
      this.newestChange = statusAt;
      this.emit({ kind: 'resync' });
    }
  }

  private onEvent(value: unknown): void {
    const parsed = broadcastSchema.safeParse(value);
    if (!parsed.success || !isRelayEventType(parsed.data.type)) return;
    const message = parsed.data as Broadcast;
    if (this.held !== null) {
      this.held.push(message);
      return;
    }
    this.deliver(message);
  }

  private deliver(message: Broadcast): void {
    const at = Date.parse((message as { timestamp: string }).timestamp);
    // Already in the snapshot the page shows: applying it again would step back in time.
    if (at < this.newestChange) return;
    this.newestChange = at;
    this.emit({ kind: 'broadcast', message });
  }

  private async readStatus(): Promise<Reply> {
    const kv = this.kv;
    if (kv === null) throw new OfflineError();
    this.held ??= [];
    try {
      const entry = await kv.get(STATUS_KEY);
      const parsed = entry === null ? null : relayStatusSnapshotSchema.safeParse(entry.json());
      if (parsed === null || !parsed.success) throw new OfflineError('The station has not published its status yet');
      const { updated_at, ...status } = parsed.data;
      this.newestChange = Math.max(this.newestChange, Date.parse(updated_at));
      return success(null, 'Queue status retrieved', status);
    } finally {
      // After the caller has applied the snapshot: the events that came meanwhile, if newer.
      setTimeout(() => {
        const held = this.held ?? [];
        this.held = null;
        for (const message of held) this.deliver(message);
      }, 0);
    }
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.emit({ kind: 'connection', state });
  }

  private emit(event: LinkEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** What `npm run build:public-site` puts in the page: the relay's WebSocket URL(s) and the station. */
export interface RelayPageConfig {
  servers: string[];
  station: string;
}

/**
 * The page's relay settings from its `<meta name="pileup-relay">` content, with `?station=` in
 * the address choosing another station on the same relay; null when unusable.
 */
export function relayPageConfig(content: string, search: string): RelayPageConfig | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return null;
  }
  const { servers, station } = (parsed ?? {}) as { servers?: unknown; station?: unknown };
  const chosen = new URLSearchParams(search).get('station') ?? station;
  if (!Array.isArray(servers) || servers.length === 0 || !servers.every((url) => typeof url === 'string' && /^wss?:\/\//.test(url))) return null;
  return isStationId(chosen) ? { servers, station: chosen } : null;
}
