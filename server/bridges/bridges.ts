/**
 * The logging-software bridges of one server: a WSJT-X/JTDX listener and an N1MM listener, each
 * a thin adapter on PileupService, and the rigctld client that follows the rig (server/rig). Their settings are stored with the other settings; what the
 * start was given (`--wsjtx-port`, `WSJTX_UDP_PORT`, `BRIDGE_ALLOW`, …; server/config) wins over
 * the stored ones. They bind the server's own address unless told otherwise, so a server on
 * loopback has loopback bridges. A port that cannot be bound is shown as the bridge's error and
 * never stops the server.
 */
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import { type Clock, isoAt, type MonotonicClock } from '../time/clock.js';
import type { PileupService } from '../core/pileup-service.js';
import { SerialQueue } from '../async/serial-queue.js';
import { DEFAULTS } from '../config/defaults.js';
import { layered } from '../config/precedence.js';
import { type BridgeSettings, bridgeSettingsSchema, type BridgesSnapshot } from '../protocol/bridges.js';
import type { PileupStore } from '../store/pileup-store.js';
import { RigFollower, type RigTiming } from '../rig/rig-follower.js';
import { LoggerCalls } from './logger-call.js';
import { N1mmBridge } from './n1mm-bridge.js';
import { allowEntryProblem, senderAllowList } from './sender-allow-list.js';
import { UdpListener } from './udp-listener.js';
import { WsjtxBridge } from './wsjtx-bridge.js';
import { type SendDatagram, WsjtxHighlighter } from './wsjtx-highlight.js';

/** Counters change with every datagram: the console hears of them at most this often. */
export const BRIDGES_UPDATE_INTERVAL_MS = 1000;

export class Bridges {
  readonly wsjtx: UdpListener;
  readonly n1mm: UdpListener;
  readonly rig: RigFollower;
  private settings: BridgeSettings = DEFAULTS.bridges;
  /** Nothing is bound before the first settings are applied. */
  private started = false;
  private readonly applying = new SerialQueue();
  private updateTimer: NodeJS.Timeout | undefined;

  readonly calls: LoggerCalls;
  private readonly highlighter: WsjtxHighlighter;
  private readonly n1mmBridge: N1mmBridge;

  constructor(
    private readonly service: PileupService,
    private readonly store: PileupStore,
    private readonly clock: Clock,
    monotonicClock: MonotonicClock,
    /** The server's bind address: the bridges' too unless `bind_address` says otherwise. */
    private readonly serverHost: string,
    rigTiming: Partial<RigTiming> = {},
  ) {
    this.calls = new LoggerCalls(service, () => this.settings.follow_logger);
    const send: SendDatagram = (datagram, to) => this.wsjtx.send(datagram, to);
    this.highlighter = new WsjtxHighlighter(service, send);
    const wsjtxBridge = new WsjtxBridge(service, clock, { send, highlighter: this.highlighter, calls: this.calls });
    this.n1mmBridge = new N1mmBridge(service, clock, {
      calls: this.calls,
      adif: (datagram) => wsjtxBridge.loggedAdif(datagram, 'ADIF (WSJT-X N1MM broadcast)'),
    });
    this.wsjtx = new UdpListener('wsjtx', wsjtxBridge.decode, clock, monotonicClock);
    this.n1mm = new UdpListener('n1mm', this.n1mmBridge.decode, clock, monotonicClock);
    for (const listener of [this.wsjtx, this.n1mm]) {
      listener.on('handled', () => this.scheduleUpdate());
      listener.on('dropped', () => this.scheduleUpdate());
    }
    this.rig = new RigFollower(service, clock, rigTiming);
    this.rig.on('changed', () => this.scheduleUpdate());
    this.calls.on('changed', () => this.scheduleUpdate());
  }

  /** Starts with the stored settings, overridden by `overrides` (not stored). */
  async start(overrides: Partial<BridgeSettings>): Promise<void> {
    const stored = bridgeSettingsSchema.partial().safeParse(await this.store.loadBridgeSettings());
    await this.apply(layered(overrides, stored.success ? stored.data : null, DEFAULTS.bridges), false);
  }

  /** The operator changed the settings: checked, stored, then the listeners are rebound. */
  async configure(changes: Partial<BridgeSettings>): Promise<BridgesSnapshot> {
    const problems = (changes.allowed_senders ?? []).flatMap((entry, index) => {
      const problem = allowEntryProblem(entry);
      return problem === null ? [] : [{ field: `allowed_senders.${index}`, problem }];
    });
    if (problems.length > 0) throw new ProtocolError(ErrorCode.INVALID_REQUEST, 'Invalid admin_set_bridges request', { issues: problems });
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    await this.apply({ ...this.settings, ...defined }, true);
    this.publishUpdate();
    return this.snapshot();
  }

  snapshot(): BridgesSnapshot {
    const bridges = [this.wsjtx, this.n1mm].map((listener) => ({ ...listener.status(), working_call: this.calls.current(listener.name) }));
    return { settings: structuredClone(this.settings), bridges, rig: this.rig.status() };
  }

  async close(): Promise<void> {
    clearTimeout(this.updateTimer);
    this.updateTimer = undefined;
    await this.applying.drain();
    await Promise.all([this.wsjtx.stop(), this.n1mm.stop(), this.rig.close()]);
    await this.n1mmBridge.flush();
  }

  /** A `bridges_update` soon, one for however many datagrams arrive meanwhile. */
  private scheduleUpdate(): void {
    if (this.updateTimer !== undefined) return;
    this.updateTimer = setTimeout(() => this.publishUpdate(), BRIDGES_UPDATE_INTERVAL_MS);
    this.updateTimer.unref();
  }

  private publishUpdate(): void {
    clearTimeout(this.updateTimer);
    this.updateTimer = undefined;
    this.service.publish({ type: 'bridges_update', timestamp: isoAt(this.clock()), data: this.snapshot() });
  }

  private apply(next: BridgeSettings, persist: boolean): Promise<void> {
    return this.applying.run(async () => {
      const allowed = senderAllowList(next.allowed_senders);
      if (persist) await this.store.saveBridgeSettings(next);
      const previous = this.settings;
      this.settings = next;
      for (const listener of [this.wsjtx, this.n1mm]) listener.allow(allowed);
      const address = next.bind_address ?? this.serverHost;
      const first = !this.started;
      this.started = true;
      const moved = previous.bind_address !== next.bind_address;
      if (first || moved || previous.wsjtx_port !== next.wsjtx_port || previous.wsjtx_multicast_group !== next.wsjtx_multicast_group) {
        await this.wsjtx.listen({ port: next.wsjtx_port, address, multicastGroup: next.wsjtx_multicast_group });
      }
      if (first || moved || previous.n1mm_port !== next.n1mm_port) {
        await this.n1mm.listen({ port: next.n1mm_port, address });
      }
      if (first || previous.rigctld_enabled !== next.rigctld_enabled || previous.rigctld_host !== next.rigctld_host || previous.rigctld_port !== next.rigctld_port) {
        await this.rig.configure({ enabled: next.rigctld_enabled, host: next.rigctld_host, port: next.rigctld_port });
      }
      for (const listener of [this.wsjtx, this.n1mm]) if (listener.status().state !== 'listening') this.calls.forget(listener.name);
      if (first || previous.wsjtx_highlight !== next.wsjtx_highlight) await this.highlighter.setEnabled(next.wsjtx_highlight);
    });
  }
}
