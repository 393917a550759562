/**
 * The logging-software bridges of one server: a WSJT-X/JTDX listener and an N1MM listener, each
 * a thin adapter on PileupService. Their settings are stored with the other settings; the
 * environment and CLI flags (`WSJTX_UDP_PORT`, `--wsjtx-port`, …) win over the stored ones at
 * start-up, like MAX_QUEUE_SIZE. A port that cannot be bound is shown as the bridge's error and
 * never stops the server.
 */
import type { Clock } from '../core/clock.js';
import type { PileupService } from '../core/pileup-service.js';
import {
  type BridgeSettings,
  bridgeSettingsSchema,
  type BridgeStatus,
  DEFAULT_BRIDGE_SETTINGS,
} from '../protocol/bridges.js';
import type { PileupStore } from '../store/pileup-store.js';
import { N1mmBridge } from './n1mm-bridge.js';
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
  ) {
    this.wsjtx = new UdpListener('wsjtx', new WsjtxBridge(service, clock).handle, clock);
    this.n1mm = new UdpListener('n1mm', new N1mmBridge(service, clock).handle, clock);
  }

  /** Starts with the stored settings, overridden by `overrides` (not stored). */
  async start(overrides: Partial<BridgeSettings>): Promise<void> {
    const stored = bridgeSettingsSchema.partial().safeParse(await this.store.loadBridgeSettings());
    await this.apply({ ...DEFAULT_BRIDGE_SETTINGS, ...(stored.success ? stored.data : {}), ...overrides }, false);
  }

  /** The operator changed the settings: stored, then the listeners are rebound. */
  async configure(changes: Partial<BridgeSettings>): Promise<BridgesSnapshot> {
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    await this.apply({ ...this.settings, ...defined }, true);
    return this.snapshot();
  }

  snapshot(): BridgesSnapshot {
    return { settings: { ...this.settings }, bridges: [this.wsjtx.status(), this.n1mm.status()] };
  }

  async close(): Promise<void> {
    await this.applying;
    await Promise.all([this.wsjtx.stop(), this.n1mm.stop()]);
  }

  private apply(next: BridgeSettings, persist: boolean): Promise<void> {
    const run = this.applying.then(async () => {
      if (persist) await this.store.saveBridgeSettings(next);
      const previous = this.settings;
      this.settings = next;
      const address = next.bind_address;
      const first = previous === DEFAULT_BRIDGE_SETTINGS;
      if (first || previous.wsjtx_port !== next.wsjtx_port || previous.wsjtx_multicast_group !== next.wsjtx_multicast_group || previous.bind_address !== address) {
        await this.wsjtx.listen({ port: next.wsjtx_port, address, multicastGroup: next.wsjtx_multicast_group });
      }
      if (first || previous.n1mm_port !== next.n1mm_port || previous.bind_address !== address) {
        await this.n1mm.listen({ port: next.n1mm_port, address });
      }
    });
    this.applying = run.catch(() => undefined);
    return run;
  }
}

/** `WSJTX_UDP_PORT` / `N1MM_UDP_PORT` as settings overrides; throws on a value that is not a port. */
export function bridgePortsFromEnv(env: { WSJTX_UDP_PORT?: string | undefined; N1MM_UDP_PORT?: string | undefined }): Partial<BridgeSettings> {
  const port = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined || raw.trim() === '') return undefined;
    const value = /^\d{1,5}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (!Number.isInteger(value) || value > 65535) throw new Error(`${name} must be a port from 0 to 65535 (0 = off), got ${JSON.stringify(raw)}`);
    return value;
  };
  const wsjtx = port('WSJTX_UDP_PORT', env.WSJTX_UDP_PORT);
  const n1mm = port('N1MM_UDP_PORT', env.N1MM_UDP_PORT);
  return { ...(wsjtx !== undefined && { wsjtx_port: wsjtx }), ...(n1mm !== undefined && { n1mm_port: n1mm }) };
}
