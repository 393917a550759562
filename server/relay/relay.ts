/**
 * The public relay: one more adapter on the core, like the gateway and the bridges. With it
 * switched on, the station connects out to a NATS server and
 * - publishes the public broadcasts, the `status` snapshot and the `presence` heartbeat
 *   (publisher.ts), and
 * - answers public requests through the gateway's own dispatch (responder.ts), marked as coming
 *   from the relay, so admin and auth types are refused before anything runs and registrations
 *   pass the relay's own limits (relay-limits.ts) and then every rule of the core.
 * Its state (off, connecting, connected, error with the reason) goes to the console, the LAN and
 * the tray as a `relay_update` broadcast. Nothing the relay does can stop the LAN server: every
 * failure becomes that state, and the link keeps retrying.
 */
import { SerialQueue } from '../async/serial-queue.js';
import type { PileupService } from '../core/pileup-service.js';
import { type Caller, parseRequest } from '../gateway/dispatch.js';
import type { Broadcast } from '../protocol/broadcasts.js';
import type { Reply } from '../protocol/envelopes.js';
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import { type Clock, isoAt } from '../time/clock.js';
import type { RelaySettings, RelaySettingsChanges, RelaySnapshot, RelayStatus } from '../protocol/relay.js';
import type { PileupStore } from '../store/pileup-store.js';
import { SERVER_VERSION } from '../version.js';
import { RelayPublisher } from './publisher.js';
import { RelayRegistrationLimits } from './relay-limits.js';
import { type LinkState, RelayLink } from './relay-link.js';
import {
  effectiveSettings,
  overriddenFields,
  type RelayOverrides,
  settingsProblems,
  settingsView,
  storedSettings,
} from './relay-settings.js';
import { RelayResponder } from './responder.js';

export interface RelayOptions {
  service: PileupService;
  store: PileupStore;
  clock: Clock;
  /** From flags and the environment: they win over the stored settings and are not stored. */
  overrides: RelayOverrides;
  /** The gateway's dispatch for one request. */
  dispatch: (message: unknown, caller: Caller) => Promise<Reply>;
  onUnexpected: (error: unknown) => void;
  /** How often `presence` is rewritten (PRESENCE_INTERVAL_MS unless a test or bench says otherwise). */
  presenceIntervalMs?: number;
}

const CONNECTION_FIELDS = ['enabled', 'servers', 'station_id', 'auth', 'user', 'password', 'token', 'creds_file'] as const;

function sameConnection(a: RelaySettings, b: RelaySettings): boolean {
  return CONNECTION_FIELDS.every((field) => JSON.stringify(a[field]) === JSON.stringify(b[field]));
}

/** The pieces that live as long as one set of settings. */
interface Session {
  link: RelayLink;
  publisher: RelayPublisher;
  responder: RelayResponder;
}

export class Relay {
  private stored: RelaySettings;
  private settings: RelaySettings;
  private session: Session | null = null;
  private link: LinkState = { state: 'off', reason: null, server: null };
  private since: number | null = null;
  private readonly applying = new SerialQueue();
  private readonly limits = new RelayRegistrationLimits(() => this.settings);
  private readonly caller: Caller;
  private readonly onBroadcast = (message: Broadcast) => {
    this.session?.publisher.onBroadcast(message);
    if (message.type === 'station_update') this.applying.run(() => this.followStationCallsign()).catch(this.options.onUnexpected);
  };

  private constructor(
    private readonly options: RelayOptions,
    stored: RelaySettings,
  ) {
    this.stored = stored;
    this.settings = this.effective(stored);
    this.caller = { connectionId: 'relay', address: 'relay', relay: { admitRegistration: this.limits.admit } };
    options.service.on('broadcast', this.onBroadcast);
  }

  /** Reads the stored settings; nothing connects before start(). */
  static async load(options: RelayOptions): Promise<Relay> {
    return new Relay(options, storedSettings(await options.store.loadRelaySettings()));
  }

  /** When the relay is on, starts connecting (without waiting for it: the LAN never waits for the relay). */
  start(): Promise<void> {
    return this.applying.run(() => this.apply(this.settings));
  }

  status(): RelayStatus {
    const { session } = this;
    return {
      ...this.link,
      station_id: this.settings.station_id,
      since: this.since === null ? null : isoAt(this.since),
      requests_answered: session?.responder.answered ?? 0,
      requests_dropped: session?.responder.dropped ?? 0,
      events_published: session?.publisher.eventsPublished ?? 0,
    };
  }

  snapshot(): RelaySnapshot {
    return { settings: settingsView(this.settings), overridden: overriddenFields(this.options.overrides), status: this.status() };
  }

  /**
   * The operator changed the settings: checked, stored, then the link starts again with them.
   * Unusable settings are refused (INVALID_REQUEST) and nothing is stored.
   */
  configure(changes: RelaySettingsChanges): Promise<RelaySnapshot> {
    return this.applying.run(async () => {
      const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      const next: RelaySettings = { ...this.stored, ...defined };
      const effective = this.effective(next);
      const problems = settingsProblems(effective);
      if (problems.length > 0) {
        throw new ProtocolError(ErrorCode.INVALID_REQUEST, 'Invalid admin_set_relay request', { issues: problems });
      }
      await this.options.store.saveRelaySettings(next);
      this.stored = next;
      // New limits apply at once; only a change of how to connect starts the link again.
      if (sameConnection(effective, this.settings) && (this.session !== null || !effective.enabled)) this.settings = effective;
      else await this.apply(effective);
      return this.snapshot();
    });
  }

  private effective(stored: RelaySettings): RelaySettings {
    return effectiveSettings(stored, this.options.overrides, this.options.service.status().station.callsign);
  }

  /** A station id that comes from the callsign follows it: a new callsign connects under the new id. */
  private async followStationCallsign(): Promise<void> {
    const effective = this.effective(this.stored);
    if (effective.station_id !== this.settings.station_id) await this.apply(effective);
  }

  /** One request's text from the relay, through the same parse and dispatch as a WebSocket frame. */
  private handle(text: string): Promise<Reply> {
    const parsed = parseRequest(text);
    return 'reply' in parsed ? Promise.resolve(parsed.reply) : this.options.dispatch(parsed.message, this.caller);
  }

  /** Says goodbye on the relay and closes the link; the LAN server goes on without it. */
  async close(): Promise<void> {
    this.options.service.off('broadcast', this.onBroadcast);
    await this.applying.drain();
    await this.stop();
  }

  private async stop(): Promise<void> {
    const { session } = this;
    this.session = null;
    if (session === null) return;
    await session.link.stop();
    session.publisher.detach();
  }

  private async apply(settings: RelaySettings): Promise<void> {
    await this.stop();
    this.settings = settings;
    if (!settings.enabled) {
      this.setLink({ state: 'off', reason: null, server: null });
      return;
    }
    const problems = settingsProblems(settings);
    if (problems.length > 0 || settings.station_id === null) {
      this.setLink({ state: 'error', reason: `not connecting: ${problems.map((p) => p.problem).join('; ')}`, server: null });
      return;
    }
    const station = settings.station_id;
    const { service, clock, presenceIntervalMs, onUnexpected } = this.options;
    const publisher = new RelayPublisher({
      station,
      status: () => service.status(),
      clock,
      ...(presenceIntervalMs !== undefined && { presenceIntervalMs }),
      onProblem: (reason) => {
        if (this.session?.publisher !== publisher) return;
        if (reason !== null && this.link.state === 'connected') this.setLink({ ...this.link, state: 'error', reason });
        if (reason === null && this.link.state === 'error') this.setLink({ ...this.link, state: 'connected', reason: null });
      },
    });
    const responder = new RelayResponder(station, (text) => this.handle(text), onUnexpected);
    const link = new RelayLink(settings, `Pileup Buster ${SERVER_VERSION} (station ${station})`, {
      onState: (state) => {
        if (this.session?.link === link) this.setLink(state);
      },
      async onOpen(nc) {
        // The snapshot first: a watcher sent here by our first answer finds it already there.
        await publisher.attach(nc);
        responder.attach(nc);
      },
      onReconnect: () => publisher.refresh(),
      async onClosing() {
        responder.detach();
        await publisher.goodbye();
      },
    });
    this.session = { link, publisher, responder };
    link.start();
  }

  private setLink(next: LinkState): void {
    const previous = this.link;
    if (previous.state === next.state && previous.reason === next.reason && previous.server === next.server) return;
    this.link = next;
    const now = this.options.clock();
    this.since = now;
    this.options.service.publish({ type: 'relay_update', timestamp: isoAt(now), data: this.status() });
  }
}
