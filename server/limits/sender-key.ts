/**
 * Who a request or a datagram comes from, for every allowance that counts per sender (the login
 * throttle, the registration rate limit, the bridges' datagram rate). One machine or one network
 * is one sender, however many addresses it can use:
 * - loopback (127.0.0.0/8 and ::1) is this machine: one sender, `loopback`;
 * - an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a dual-stack socket reports) is its IPv4 address;
 * - an IPv6 address is its /64: a home or an office gets at least a /64, and a host there may pick
 *   any address in it;
 * - the trusted desktop console is `local`; anything that is not an IP address is itself.
 */
import { isIPv4, isIPv6 } from 'node:net';

export const LOOPBACK_SENDER = 'loopback';
/** The address of the trusted desktop console (IPC), which no network client can have. */
export const LOCAL_SENDER = 'local';

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail is two of them). */
function hextets(address: string): number[] {
  let text = address;
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(2).map(Number) as [number, number, number, number];
    text = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => Number.parseInt(group, 16));
}

function isMapped(groups: readonly number[]): boolean {
  return groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
}

/**
 * The address as one IP version speaks it: an IPv4-mapped IPv6 address becomes IPv4, a zone
 * (`%eth0`) is dropped. For allow-lists and keys; anything that is not an IP is returned as is.
 */
export function plainAddress(address: string): string {
  const unzoned = address.replace(/%.*$/, '');
  if (!isIPv6(unzoned)) return address;
  const groups = hextets(unzoned);
  if (!isMapped(groups)) return unzoned;
  const [high = 0, low = 0] = groups.slice(6);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

export function senderKey(address: string): string {
  const plain = plainAddress(address);
  if (isIPv4(plain)) return plain.startsWith('127.') ? LOOPBACK_SENDER : plain;
  if (!isIPv6(plain)) return plain;
  const groups = hextets(plain);
  if (groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1) return LOOPBACK_SENDER;
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The operator's own machine: the trusted desktop console or a loopback address. */
export function isLoopback(address: string): boolean {
  return address === LOCAL_SENDER || senderKey(address) === LOOPBACK_SENDER;
}
