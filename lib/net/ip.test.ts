import { describe, expect, it } from 'vitest';
import {
  clientKey,
  formatIp,
  formatNetwork,
  type IpNetwork,
  inNetwork,
  inNetworks,
  networkOf,
  parseIp,
  parseNetwork,
} from './ip';

function network(text: string): IpNetwork {
  const parsed = parseNetwork(text);
  if (typeof parsed === 'string') throw new Error(`${text}: ${parsed}`);
  return parsed;
}

function address(text: string) {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`${text}: not an address`);
  return parsed;
}

describe('parseIp / formatIp', () => {
  it('reads IPv4, IPv6 (compressed, bracketed, with a zone) and gives IPv4-mapped IPv6 as IPv4', () => {
    expect(formatIp(address('10.0.0.1'))).toBe('10.0.0.1');
    expect(formatIp(address('2001:DB8:0:0:0:0:0:1'))).toBe('2001:db8::1');
    expect(formatIp(address('[::1]'))).toBe('::1');
    expect(formatIp(address('fe80::1%eth0'))).toBe('fe80::1');
    expect(formatIp(address('::ffff:127.0.0.1'))).toBe('127.0.0.1');
    expect(address('::ffff:127.0.0.1').family).toBe(4);
    expect(formatIp(address('2001:db8:0:1:0:0:0:1'))).toBe('2001:db8:0:1::1');
    expect(formatIp(address('2001:db8:1:1:1:1:1:1'))).toBe('2001:db8:1:1:1:1:1:1');
  });

  it('refuses what is not an address', () => {
    for (const text of [
      '',
      'localhost',
      '256.0.0.1',
      '1.2.3',
      '1::2::3',
      '12345::',
      '1:2:3:4:5:6:7:8:9',
      '1.2.3.4::',
      ':::',
      // Leading zeros: Node would not dial these as addresses but look them up as names.
      '10.0.1.08',
      '010.1.2.3',
    ]) {
      expect(parseIp(text), text).toBeUndefined();
    }
  });
});

describe('CIDR matching', () => {
  it('matches IPv4 networks at any prefix length, a single address as /32', () => {
    expect(inNetwork(address('10.20.30.40'), network('10.0.0.0/8'))).toBe(true);
    expect(inNetwork(address('11.0.0.1'), network('10.0.0.0/8'))).toBe(false);
    expect(inNetwork(address('192.168.1.130'), network('192.168.1.128/25'))).toBe(true);
    expect(inNetwork(address('192.168.1.127'), network('192.168.1.128/25'))).toBe(false);
    expect(inNetwork(address('172.31.255.255'), network('172.16.0.0/12'))).toBe(true);
    expect(inNetwork(address('172.32.0.0'), network('172.16.0.0/12'))).toBe(false);
    expect(inNetwork(address('127.0.0.1'), network('127.0.0.1'))).toBe(true);
    expect(inNetwork(address('127.0.0.2'), network('127.0.0.1'))).toBe(false);
    expect(inNetwork(address('8.8.8.8'), network('0.0.0.0/0'))).toBe(true);
  });

  it('matches IPv6 networks; the families never match each other except through IPv4-mapped addresses', () => {
    expect(inNetwork(address('fd12:3456::1'), network('fd00::/8'))).toBe(true);
    expect(inNetwork(address('fe00::1'), network('fd00::/8'))).toBe(false);
    expect(inNetwork(address('2001:db8::8:1'), network('[2001:db8::]/125'))).toBe(false);
    expect(inNetwork(address('2001:db8::7'), network('[2001:db8::]/125'))).toBe(true);
    expect(inNetwork(address('::1'), network('::1'))).toBe(true);
    expect(inNetwork(address('::1'), network('127.0.0.1/8'))).toBe(false);
    expect(inNetwork(address('::ffff:10.1.2.3'), network('10.0.0.0/8'))).toBe(true);
    expect(inNetwork(address('10.1.2.3'), network('::ffff:10.0.0.0/104'))).toBe(true);
    expect(inNetworks(address('10.1.2.3'), [network('fd00::/8'), network('10.1.2.0/24')])).toBe(true);
    expect(inNetworks(address('10.1.2.3'), [])).toBe(false);
  });

  it('explains a malformed entry', () => {
    expect(parseNetwork('10.0.0.0/33')).toBe('prefix length must be 0-32');
    expect(parseNetwork('fd00::/129')).toBe('prefix length must be 0-128');
    expect(parseNetwork('proxy.internal')).toMatch(/expected an IP address or a CIDR/);
    expect(parseNetwork('10.0.0.0/')).toMatch(/expected an IP address or a CIDR/);
  });
});

describe('clientKey', () => {
  it('counts an IPv6 client by its /64 and an IPv4 client by its address', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe(clientKey('2001:db8:1:2:bbbb::9'));
    expect(clientKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
    expect(clientKey('10.0.0.1')).toBe('10.0.0.1');
    expect(clientKey('::ffff:10.0.0.1')).toBe('::ffff:10.0.0.1');
    expect(clientKey('unknown')).toBe('unknown');
  });
});

describe('networkOf and formatNetwork', () => {
  it('clears the host bits and prints the network; host bits in an entry are ignored when matching', () => {
    expect(formatNetwork(networkOf(address('10.1.2.3'), 24))).toBe('10.1.2.0/24');
    expect(formatNetwork(networkOf(address('10.1.2.3'), 20))).toBe('10.1.0.0/20');
    expect(formatNetwork(networkOf(address('fd00:1:2:3:4:5:6:7'), 64))).toBe('fd00:1:2:3::/64');
    expect(formatNetwork(networkOf(address('fd00:1:2:3:4:5:6:7'), 128))).toBe('fd00:1:2:3:4:5:6:7/128');
    expect(formatNetwork(network('::1'))).toBe('::1/128');
    expect(formatNetwork(network('::/0'))).toBe('::/0');
    expect(inNetwork(address('10.1.2.9'), network('10.1.2.3/24'))).toBe(true);
    expect(inNetwork(address('fdff::1'), network('fd00::/7'))).toBe(true);
    expect(inNetwork(address('fe00::1'), network('fc00::/7'))).toBe(false);
  });
});
