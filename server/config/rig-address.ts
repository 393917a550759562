/**
 * `--rigctld` / `RIGCTLD_ADDRESS`: where the rigctld client looks for rigctld, given at start-up.
 * `HOST[:PORT]` (`127.0.0.1:4532`, `shack-pi.local`, `[::1]:4532`) switches it on there; `on`
 * switches it on at the stored (or default) address; `off` switches it off. Parsed into the
 * bridge settings it overrides; a value that is none of these is a ConfigError naming the flag.
 */
import type { BridgeSettings } from '../protocol/bridges.js';
import { RIG_HOST_PATTERN } from '../protocol/rig.js';
import { parsePortArgument } from './port.js';

export type RigGiven = Partial<Pick<BridgeSettings, 'rigctld_enabled' | 'rigctld_host' | 'rigctld_port'>>;

/** The settings `raw` gives, or a one-line problem. */
export function parseRigAddress(name: string, raw: string): RigGiven | string {
  const value = raw.trim();
  const lower = value.toLowerCase();
  if (lower === 'off') return { rigctld_enabled: false };
  if (lower === 'on') return { rigctld_enabled: true };
  // `[v6]:port`, `host:port`, or a host alone (an IPv6 address without brackets has several colons).
  const match = /^\[([^\]]+)\](?::(.*))?$/.exec(value) ?? /^([^:]*):([^:]*)$/.exec(value) ?? [value, value, undefined];
  const [, host = '', portText] = match;
  const port = portText === undefined ? undefined : parsePortArgument(portText);
  const problem = `${name} must be on, off or HOST[:PORT] (e.g. ${name}=127.0.0.1:4532), got ${JSON.stringify(raw)}`;
  if (!RIG_HOST_PATTERN.test(host) || port === null || port === 0) return problem;
  return { rigctld_enabled: true, rigctld_host: host, ...(port !== undefined && { rigctld_port: port }) };
}
