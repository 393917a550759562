/**
 * The listen address: the one in use, and the one the operator stored for the next start.
 * Saving never rebinds the running server; the stored value applies after a restart.
 */
import { isIP } from 'node:net';
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import {
  LISTEN_HOST_PROBLEM,
  type ListenSettings,
  listenSettingsSchema,
  type ListenSnapshot,
} from '../protocol/listen.js';
import type { PileupStore } from '../store/pileup-store.js';
import { DEFAULTS } from './defaults.js';
import { layered } from './precedence.js';

/** Names accepted besides IPv4/IPv6 literals. */
const HOST_NAMES = new Set(['0.0.0.0', '::', 'localhost']);

export function isListenHost(value: string): boolean {
  return HOST_NAMES.has(value) || isIP(value) !== 0;
}

export class Listen {
  /** The address actually bound; set once the gateway listens. */
  active: ListenSettings = { ...DEFAULTS.listen };

  constructor(private readonly store: PileupStore) {}

  /** The stored setting, or null when none (or an unusable one) is stored. */
  async stored(): Promise<ListenSettings | null> {
    const parsed = listenSettingsSchema.safeParse(await this.store.loadListenSettings());
    return parsed.success && isListenHost(parsed.data.host) ? parsed.data : null;
  }

  /** Where to bind: the given host/port win over the stored setting, which wins over the defaults. */
  async resolve(given: { host?: string | undefined; port?: number | undefined }): Promise<ListenSettings> {
    const { host, port } = layered({ host: given.host, port: given.port }, await this.stored(), DEFAULTS.listen);
    return { host, port };
  }

  async snapshot(): Promise<ListenSnapshot> {
    return this.view((await this.stored()) ?? this.active);
  }

  /** Stores a checked setting; an unusable host is refused (INVALID_REQUEST) and nothing is stored. */
  async save(settings: ListenSettings): Promise<ListenSnapshot> {
    if (!isListenHost(settings.host)) {
      throw new ProtocolError(ErrorCode.INVALID_REQUEST, 'Invalid admin_set_listen request', {
        issues: [{ field: 'host', problem: LISTEN_HOST_PROBLEM }],
      });
    }
    await this.store.saveListenSettings({ host: settings.host, port: settings.port });
    return this.view(settings);
  }

  private view(settings: ListenSettings): ListenSnapshot {
    return {
      host: settings.host,
      port: settings.port,
      active_host: this.active.host,
      active_port: this.active.port,
      applies_after_restart: true,
    };
  }
}
