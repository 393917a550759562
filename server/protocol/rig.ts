/**
 * Wire shapes of "follow the rig": the Hamlib `rigctld` client's settings (stored with the
 * bridges' settings, set by `admin_set_bridges`) and the state the console shows in the bridges'
 * snapshot. Dependency-free apart from zod, like the rest of server/protocol.
 */
import { z } from 'zod';
import { timestampSchema as timestamp } from './entities.js';

/** rigctld's own default TCP port (`rigctld -t`). */
export const RIGCTLD_DEFAULT_PORT = 4532;

/** A host name (`shack-pi.local`), an IPv4 address, or an IPv6 address (two colons at least), without a port. */
export const RIG_HOST_PATTERN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\.?|(?=[^:]*:[^:]*:)[0-9a-fA-F:.]{2,45})$/;
export const RIG_HOST_PROBLEM = 'must be a host name or an IP address, without a port';

/**
 * Off by default (`rigctld_enabled: false`); the address is kept while it is off, so switching
 * it on again needs nothing else.
 */
export const rigSettingsShape = {
  rigctld_enabled: z.boolean(),
  rigctld_host: z.string().trim().max(253).regex(RIG_HOST_PATTERN, { message: RIG_HOST_PROBLEM }),
  rigctld_port: z.number().int().min(1).max(65535),
};

/**
 * `connecting`: a TCP connection is being opened; `connected`: polled about once a second;
 * `error`: rigctld is not there or went away (see `error`), tried again at `retry_at`.
 */
export const rigStates = ['off', 'connecting', 'connected', 'error'] as const;
export type RigState = (typeof rigStates)[number];

export const rigStatusSchema = z.object({
  name: z.literal('rigctld'),
  state: z.enum(rigStates),
  host: z.string(),
  port: z.number().int(),
  /** The last problem: rigctld unreachable or gone, no answer in time, or the rig's own error (Hamlib's words). */
  error: z.string().nullable(),
  /** The rig's frequency at the last poll, in MHz like every frequency of the protocol. */
  frequency: z.string().nullable(),
  /** The rig's mode as Hamlib names it (`USB`, `PKTUSB`, `CW`…), and its passband in Hz. */
  rig_mode: z.string().nullable(),
  passband_hz: z.number().int().nullable(),
  /** What that mode sets on the station (null: a data mode, the station's mode is kept). */
  mode: z.string().nullable(),
  connected_at: timestamp.nullable(),
  last_poll_at: timestamp.nullable(),
  /** The last time the rig's reading set the station's frequency or mode. */
  last_change_at: timestamp.nullable(),
  retry_at: timestamp.nullable(),
  /** Successful polls, times the station followed the rig, and connections opened, since start-up. */
  polls: z.number().int().nonnegative(),
  changes: z.number().int().nonnegative(),
  connections: z.number().int().nonnegative(),
});
export type RigStatus = z.infer<typeof rigStatusSchema>;

/** The client's state before it ever connected, or while it is off. */
export function rigStatusOff(host: string, port: number): RigStatus {
  return {
    name: 'rigctld',
    state: 'off',
    host,
    port,
    error: null,
    frequency: null,
    rig_mode: null,
    passband_hz: null,
    mode: null,
    connected_at: null,
    last_poll_at: null,
    last_change_at: null,
    retry_at: null,
    polls: 0,
    changes: 0,
    connections: 0,
  };
}
