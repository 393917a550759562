/**
 * One allowance per sender, not per address string: the rule every per-sender limit keys by.
 */
import { describe, expect, it } from 'vitest';
import { isLoopback, LOOPBACK_SENDER, plainAddress, senderKey } from '../../server/limits/sender-key.js';

describe('sender key', () => {
  it.each(['127.0.0.1', '127.1.2.3', '127.255.255.254', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:7f00:2'])(
    'makes loopback %s one sender, this machine',
    (address) => {
      expect(senderKey(address)).toBe(LOOPBACK_SENDER);
      expect(isLoopback(address)).toBe(true);
    },
  );

  it('makes an IPv4-mapped IPv6 address its IPv4 address', () => {
    expect(senderKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(senderKey('::FFFF:c000:0201')).toBe('192.0.2.1');
    expect(plainAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
  });

  it('keeps an IPv4 address as it is', () => {
    expect(senderKey('192.0.2.1')).toBe('192.0.2.1');
    expect(senderKey('192.0.2.2')).not.toBe(senderKey('192.0.2.1'));
  });

  it('makes every address of an IPv6 /64 one sender, however it is written', () => {
    const key = senderKey('2001:db8:1:2::1');
    expect(key).toBe('2001:db8:1:2::/64');
    for (const address of ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0DB8:0001:0002:0:0:0:42', '2001:db8:1:2:a::b']) {
      expect(senderKey(address)).toBe(key);
    }
    expect(senderKey('2001:db8:1:3::1')).not.toBe(key);
    expect(senderKey('::')).toBe('0:0:0:0::/64');
  });

  it('drops an IPv6 zone: a link-local address on eth0 is its /64', () => {
    expect(senderKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(plainAddress('fe80::1%eth0')).toBe('fe80::1');
  });

  it('leaves the local console and anything that is not an address alone', () => {
    expect(senderKey('local')).toBe('local');
    expect(isLoopback('local')).toBe(true);
    expect(senderKey('unknown')).toBe('unknown');
    for (const address of ['192.168.1.20', '::ffff:192.168.1.20', '10.0.0.1', 'fe80::1', '128.0.0.1']) expect(isLoopback(address)).toBe(false);
  });
});
