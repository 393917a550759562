/**
 * The logging-software bridges of one server: a WSJT-X/JTDX listener and an N1MM listener, each
 * a thin adapter on PileupService. Their settings are stored with the other settings; the
 * environment and CLI flags (`WSJTX_UDP_PORT`, `--wsjtx-port`, `BRIDGE_ALLOW`, …) win over the
 * stored ones at start-up, like MAX_QUEUE_SIZE. They bind the server's own address unless told
 * otherwise, so a server on loopback has loopback bridges. A port that cannot be bound is shown
 * as the bridge's error and never stops the server.
 */
import type { Clock, MonotonicClock } from '../core/clock.js';
import type { PileupService } from '../core/pileup-service.js';
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import {
  type BridgeSettings,
  bridgeSettingsSchema,
  type BridgeStatus,
  DEFAULT_BRIDGE_SETTINGS,
} from '../protocol/bridges.js';
import type { PileupStore } from '../store/pileup-store.js';
import { N1mmBridge } from './n1mm-bridge.js';
import { allowEntryProblem, parseAllowList, senderAllowList } from './sender-allow-list.js';
import { UdpListener } from './udp-listener.js';
import { WsjtxBridge } from './wsjtx-bridge.js';

export interface BridgesSnapshot {
  settings: BridgeSettings;
  bridges: BridgeStatus[];
}

export class Bridges {
  readonly wsjtx: UdpListener;
  readonly n1mm: UdpListener;
  private settings: BridgeSettings = DEFAULT_BRIDGE_SETTINGS;
  private applying: Promise<unknown> = Promise.resolve();

  constructor(
    service: PileupService,
    private readonly store: PileupStore,
    clock: Clock,
    monotonicClock: MonotonicClock,
    /** The server's bind address: the bridges' too unless `bind_address` says otherwise. */
    private readonly serverHost: string,
  ) {
    this.wsjtx = new UdpListener('wsjtx', new WsjtxBridge(service, clock).decode, clock, monotonicClock);
    this.n1mm = new UdpListener('n1mm', new N1mmBridge(service, clock).decode, clock, monotonicClock);
  }

  /** Starts with the stored settings, overridden by `overrides` (not stored). */
  async start(overrides: Partial<BridgeSettings>): Promise<void> {
    const stored = bridgeSettingsSchema.partial().safeParse(await this.store.loadBridgeSettings());
    await this.apply({ ...DEFAULT_BRIDGE_SETTINGS, ...(stored.success ? stored.data : {}), ...overrides }, false);
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
    return this.snapshot();
  }

  snapshot(): BridgesSnapshot {
    return { settings: structuredClone(this.settings), bridges: [this.wsjtx.status(), this.n1mm.status()] };
  }

  async close(): Promise<void> {
    await this.applying;
    await Promise.all([this.wsjtx.stop(), this.n1mm.stop()]);
  }

  private apply(next: BridgeSettings, persist: boolean): Promise<void> {
    const run = this.applying.then(async () => {
      const allowed = senderAllowList(next.allowed_senders);
      if (persist) await this.store.saveBridgeSettings(next);
      const previous = this.settings;
      this.settings = next;
      for (const listener of [this.wsjtx, this.n1mm]) listener.allow(allowed);
      const address = next.bind_address ?? this.serverHost;
      const first = previous === DEFAULT_BRIDGE_SETTINGS;
      const moved = previous.bind_address !== next.bind_address;
      if (first || moved || previous.wsjtx_port !== next.wsjtx_port || previous.wsjtx_multicast_group !== next.wsjtx_multicast_group) {
        await this.wsjtx.listen({ port: next.wsjtx_port, address, multicastGroup: next.wsjtx_multicast_group });
      }
      if (first || moved || previous.n1mm_port !== next.n1mm_port) {
        await this.n1mm.listen({ port: next.n1mm_port, address });
      }
    });
    this.applying = run.catch(() => undefined);
    return run;
  }
}

export interface BridgeEnv {
  WSJTX_UDP_PORT?: string | undefined;
  N1MM_UDP_PORT?: string | undefined;
  BRIDGE_ALLOW?: string | undefined;
}

/** `WSJTX_UDP_PORT` / `N1MM_UDP_PORT` / `BRIDGE_ALLOW` as settings overrides; throws on a value that cannot be used. */
export function bridgeSettingsFromEnv(env: BridgeEnv): Partial<BridgeSettings> {
  const port = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined || raw.trim() === '') return undefined;
    const value = /^\d{1,5}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (!Number.isInteger(value) || value > 65535) throw new Error(`${name} must be a port from 0 to 65535 (0 = off), got ${JSON.stringify(raw)}`);
    return value;
  };
  const wsjtx = port('WSJTX_UDP_PORT', env.WSJTX_UDP_PORT);
  const n1mm = port('N1MM_UDP_PORT', env.N1MM_UDP_PORT);
  const allowed = env.BRIDGE_ALLOW === undefined ? undefined : allowListSetting('BRIDGE_ALLOW', env.BRIDGE_ALLOW);
  return {
    ...(wsjtx !== undefined && { wsjtx_port: wsjtx }),
    ...(n1mm !== undefined && { n1mm_port: n1mm }),
    ...(allowed !== undefined && { allowed_senders: allowed }),
  };
}

/** A comma-separated allow-list from `name` (an env variable or a flag), checked; throws on a bad entry. */
export function allowListSetting(name: string, raw: string): string[] {
  const entries = parseAllowList(raw);
  for (const entry of entries) {
    const problem = allowEntryProblem(entry);
    if (problem !== null) throw new Error(`${name}: ${problem}`);
  }
  return entries;
}
