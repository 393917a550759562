/**
 * The bridges' allow-list: which senders' datagrams are read at all. Empty means any sender that
 * can reach the port. Entries are addresses or networks in CIDR notation, matched with Node's
 * net.BlockList; IPv4 senders on a dual-stack socket (`::ffff:192.0.2.1`) match IPv4 entries.
 * This machine (loopback) is always allowed: a logger on the operator's own computer must work
 * whatever the list says.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { isLoopback, plainAddress } from '../limits/sender-key.js';

export type SenderAllowList = (address: string) => boolean;

export const ANY_SENDER: SenderAllowList = () => true;

/** Why an entry cannot be used, or null when it can. */
export function allowEntryProblem(entry: string): string | null {
  const [address = '', prefix, ...rest] = entry.trim().split('/');
  const plain = plainAddress(address);
  const family = isIPv4(plain) ? 'ipv4' : isIPv6(plain) ? 'ipv6' : null;
  if (family === null || rest.length > 0) return `${JSON.stringify(entry)} is not an IP address or a network such as 192.168.1.0/24`;
  if (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 'ipv4' ? 32 : 128))) {
    return `${JSON.stringify(entry)} has a prefix length that does not fit an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address`;
  }
  return null;
}

/** The list for these entries; throws on an entry allowEntryProblem refuses. */
export function senderAllowList(entries: readonly string[]): SenderAllowList {
  if (entries.length === 0) return ANY_SENDER;
  const list = new BlockList();
  for (const entry of entries) {
    const problem = allowEntryProblem(entry);
    if (problem !== null) throw new Error(problem);
    const [address = '', prefix] = entry.trim().split('/');
    const plain = plainAddress(address);
    const family = isIPv4(plain) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(plain, family);
    else list.addSubnet(plain, Number(prefix), family);
  }
  return (address) => {
    if (isLoopback(address)) return true;
    const plain = plainAddress(address);
    return list.check(plain, isIPv4(plain) ? 'ipv4' : 'ipv6');
  };
}

/** `BRIDGE_ALLOW` / `--bridge-allow`: comma-separated entries. */
export function parseAllowList(raw: string): string[] {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}
