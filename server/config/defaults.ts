/**
 * Every default of a server start, in one literal. Given values (flags, environment) win over
 * what the operator stored from the console, which wins over these (see precedence.ts).
 */
import type { BridgeSettings } from '../protocol/bridges.js';
import type { RegistrationRules } from '../protocol/entities.js';
import type { ListenSettings } from '../protocol/listen.js';
import type { RelaySettings } from '../protocol/relay.js';
import { QUEUE_CAPACITY } from '../protocol/rules.js';
import { RIGCTLD_DEFAULT_PORT } from '../protocol/rig.js';

export interface Defaults {
  /** Every interface, so the LAN can reach the server; one port for HTTP and the WebSocket. */
  listen: ListenSettings;
  maxQueueSize: number;
  username: string;
  /**
   * Port 0 switches a bridge off. Both are off by default: 2237 is often taken by another
   * listener. `bind_address` null: the server's own address; no allow-list: any sender.
   * The rigctld client is off; switched on, it looks for rigctld where rigctld listens by default.
   */
  bridges: BridgeSettings;
  registrationRules: RegistrationRules;
  /** Off until the operator gives a NATS server and a station id. */
  relay: RelaySettings;
}

export const DEFAULTS: Readonly<Defaults> = Object.freeze<Defaults>({
  listen: { host: '0.0.0.0', port: 8000 },
  maxQueueSize: QUEUE_CAPACITY.default,
  username: 'admin',
  bridges: {
    wsjtx_port: 0,
    wsjtx_multicast_group: null,
    n1mm_port: 0,
    bind_address: null,
    allowed_senders: [],
    rigctld_enabled: false,
    rigctld_host: '127.0.0.1',
    rigctld_port: RIGCTLD_DEFAULT_PORT,
    wsjtx_highlight: false,
    follow_logger: false,
  },
  registrationRules: {
    rate_limit_count: 10,
    rate_limit_window_s: 60,
    rate_limit_exempt_loopback: true,
    worked_recently_minutes: 0,
  },
  relay: {
    enabled: false,
    servers: [],
    station_id: null,
    auth: 'none',
    user: null,
    password: null,
    token: null,
    creds_file: null,
    callsign_limit_count: 5,
    callsign_limit_window_s: 600,
    registrations_per_minute: 120,
  },
});
