import { describe, expect, it } from 'vitest';
import { type Cidr, cidrContains, formatCidr, networkOf, parseCidr, parseIp } from './cidr';

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') throw new Error(`${text}: ${parsed}`);
  return parsed;
}

describe('parseIp', () => {
  it('reads IPv4 and IPv6 (compressed, full, with an IPv4 tail) and nothing else', () => {
    expect(parseIp('10.1.2.3')).toEqual({ family: 4, bytes: Uint8Array.from([10, 1, 2, 3]) });
    expect(parseIp('::1')?.bytes).toEqual(Uint8Array.from([...Array(15).fill(0), 1]));
    expect(parseIp('fd00:0:0:0:0:0:0:1')?.bytes).toEqual(parseIp('fd00::1')?.bytes);
    expect(parseIp('::ffff:10.1.2.3')?.bytes.slice(10)).toEqual(Uint8Array.from([0xff, 0xff, 10, 1, 2, 3]));
    for (const bad of [
      '',
      '10.1.2',
      '10.1.2.256',
      '010.1.2.3',
      '1.2.3.4.5',
      'redis-1.internal',
      'localhost',
      '1::2::3',
      'fd00:1:2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7',
      'fd00::1%eth0',
      '[::1]',
      'gggg::1',
      '12345::1',
    ])
      expect(parseIp(bad), bad).toBeUndefined();
  });
});

describe('parseCidr', () => {
  it('takes a network with its prefix, or a bare address as a single host', () => {
    expect(cidr('10.0.0.0/8')).toMatchObject({ family: 4, prefix: 8 });
    expect(cidr('10.1.2.3')).toMatchObject({ family: 4, prefix: 32 });
    expect(cidr('fd00::/64')).toMatchObject({ family: 6, prefix: 64 });
    expect(cidr('::1')).toMatchObject({ family: 6, prefix: 128 });
    expect(cidr('0.0.0.0/0').prefix).toBe(0);
  });

  it('says what is wrong with a bad entry', () => {
    expect(parseCidr('10.0.0.0/33')).toBe('prefix length must be 0-32');
    expect(parseCidr('fd00::/129')).toBe('prefix length must be 0-128');
    expect(parseCidr('10.0.0.0/')).toBe('prefix length must be 0-32');
    expect(parseCidr('10.0.0.0/-1')).toBe('prefix length must be 0-32');
    expect(parseCidr('redis.internal/24')).toMatch(/expected an IPv4 or IPv6 network/);
    expect(parseCidr('[fd00::]/64')).toMatch(/expected an IPv4 or IPv6 network/);
  });
});

describe('cidrContains', () => {
  it('matches IPv4 addresses by prefix, including prefixes that are not a multiple of 8', () => {
    expect(cidrContains(cidr('10.1.2.0/24'), '10.1.2.200')).toBe(true);
    expect(cidrContains(cidr('10.1.2.0/24'), '10.1.3.1')).toBe(false);
    expect(cidrContains(cidr('127.0.0.1/32'), '127.0.0.1')).toBe(true);
    expect(cidrContains(cidr('127.0.0.1/32'), '127.0.0.2')).toBe(false);
    expect(cidrContains(cidr('172.16.0.0/12'), '172.31.255.255')).toBe(true);
    expect(cidrContains(cidr('172.16.0.0/12'), '172.32.0.0')).toBe(false);
    expect(cidrContains(cidr('0.0.0.0/0'), '8.8.8.8')).toBe(true);
    // Host bits set in the entry are ignored: 10.1.2.3/24 is 10.1.2.0/24.
    expect(cidrContains(cidr('10.1.2.3/24'), '10.1.2.9')).toBe(true);
  });

  it('matches IPv6 addresses by prefix', () => {
    expect(cidrContains(cidr('fd00:1:2:3::/64'), 'fd00:1:2:3:ffff::1')).toBe(true);
    expect(cidrContains(cidr('fd00:1:2:3::/64'), 'fd00:1:2:4::1')).toBe(false);
    expect(cidrContains(cidr('fd00::/7'), 'fdff::1')).toBe(true);
    expect(cidrContains(cidr('fc00::/7'), 'fe00::1')).toBe(false);
    expect(cidrContains(cidr('::1'), '::1')).toBe(true);
  });

  it('never mixes families, except an IPv4-mapped IPv6 address, which is its IPv4 address', () => {
    expect(cidrContains(cidr('10.0.0.0/8'), '::a00:1')).toBe(false);
    expect(cidrContains(cidr('::/0'), '10.0.0.1')).toBe(false);
    expect(cidrContains(cidr('10.0.0.0/8'), '::ffff:10.9.9.9')).toBe(true);
    expect(cidrContains(cidr('::ffff:10.0.0.0/104'), '10.9.9.9')).toBe(true);
    expect(cidrContains(cidr('10.0.0.0/8'), '::ffff:11.0.0.1')).toBe(false);
  });

  it('never matches host names or garbage', () => {
    expect(cidrContains(cidr('0.0.0.0/0'), 'redis-1.internal')).toBe(false);
    expect(cidrContains(cidr('::/0'), 'not an address')).toBe(false);
  });
});

describe('networkOf and formatCidr', () => {
  it('clears the host bits and prints the network', () => {
    const v4 = parseIp('10.1.2.3');
    const v6 = parseIp('fd00:1:2:3:4:5:6:7');
    if (!v4 || !v6) throw new Error('unparsed');
    expect(formatCidr(networkOf(v4, 24))).toBe('10.1.2.0/24');
    expect(formatCidr(networkOf(v4, 20))).toBe('10.1.0.0/20');
    expect(formatCidr(networkOf(v6, 64))).toBe('fd00:1:2:3::/64');
    expect(formatCidr(networkOf(v6, 128))).toBe('fd00:1:2:3:4:5:6:7/128');
    expect(formatCidr(cidr('::1'))).toBe('::1/128');
    expect(formatCidr(cidr('fd00:0:0:1::/64'))).toBe('fd00:0:0:1::/64');
    expect(formatCidr(cidr('::/0'))).toBe('::/0');
  });
});
