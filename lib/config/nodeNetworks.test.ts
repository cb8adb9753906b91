import { describe, expect, it } from 'vitest';
import {
  defaultNodeNetworks,
  insideNodeNetworks,
  type NodeNetwork,
  notPolledOutside,
  parseNodeNetwork,
  suggestedNetwork,
} from './nodeNetworks';
import { DashboardConfig, describeConfigIssues } from './schema';

function networks(...entries: string[]): NodeNetwork[] {
  return entries.map((e) => {
    const parsed = parseNodeNetwork(e);
    if (typeof parsed === 'string') throw new Error(`${e}: ${parsed}`);
    return parsed;
  });
}

describe('default nodeNetworks', () => {
  it('widens each seed and natMap target to its /24 (IPv4) or /64 (IPv6), without repeats', () => {
    expect(
      defaultNodeNetworks(['10.0.1.5:6379', '10.0.1.6:6379', '[fd00:1:2:3::9]:7000'], ['192.168.7.20:7001']),
    ).toEqual(['10.0.1.0/24', 'fd00:1:2:3::/64', '192.168.7.0/24']);
  });

  it('allows exactly the host name of a seed given by name (never resolved)', () => {
    expect(defaultNodeNetworks(['Redis-0.svc:6380'], [])).toEqual(['redis-0.svc']);
    const byName = networks(...defaultNodeNetworks(['redis-0.svc:6380'], []));
    expect(insideNodeNetworks('redis-0.svc:7000', byName)).toBe(true);
    expect(insideNodeNetworks('redis-1.svc:7000', byName)).toBe(false);
    expect(insideNodeNetworks('10.0.0.1:7000', byName)).toBe(false);
  });

  it('suggests the network to add for an address outside', () => {
    expect(suggestedNetwork('10.9.9.9:7000')).toBe('10.9.9.0/24');
    expect(suggestedNetwork('[fd00:9::1]:7000')).toBe('fd00:9::/64');
    expect(suggestedNetwork('evil.example:7000')).toBe('evil.example');
  });
});

describe('insideNodeNetworks', () => {
  it('matches the host of "host:port" against networks, addresses and host names', () => {
    const list = networks('127.0.0.1/32', 'fd00::/64', '10.2.3.4', 'redis-9.internal');
    expect(insideNodeNetworks('127.0.0.1:7000', list)).toBe(true);
    expect(insideNodeNetworks('127.0.0.2:7000', list)).toBe(false);
    expect(insideNodeNetworks('[fd00::5]:7000', list)).toBe(true);
    expect(insideNodeNetworks('[fd00:0:0:1::5]:7000', list)).toBe(false);
    expect(insideNodeNetworks('10.2.3.4:1', list)).toBe(true);
    expect(insideNodeNetworks('10.2.3.5:1', list)).toBe(false);
    expect(insideNodeNetworks('REDIS-9.internal:6379', list)).toBe(true);
    // An IP is never matched by a host-name entry, nor a host name by a network.
    expect(insideNodeNetworks('redis-9.internal.evil.example:6379', list)).toBe(false);
    expect(insideNodeNetworks('x:1', networks('0.0.0.0/0'))).toBe(false);
  });

  it('words the not-polled error with the address', () => {
    expect(notPolledOutside('10.9.9.9:7000')).toBe('not polled: 10.9.9.9:7000 is outside nodeNetworks');
  });
});

describe('nodeNetworks in the config', () => {
  const cluster = { id: 'c', name: 'C', seeds: ['10.0.0.1:6379'] };
  const problems = (nodeNetworks: unknown) => {
    const result = DashboardConfig.safeParse({ clusters: [{ ...cluster, nodeNetworks }] });
    return result.success ? [] : describeConfigIssues(result.error);
  };

  it('accepts networks, addresses and host names; is optional', () => {
    expect(problems(['10.0.0.0/24', 'fd00::/64', '10.1.1.1', '::1', 'redis-0.svc'])).toEqual([]);
    const [entry] = DashboardConfig.parse({ clusters: [cluster] }).clusters;
    expect(entry && entry.kind !== 'sentinel' ? entry.nodeNetworks : 'not a cluster').toBeUndefined();
  });

  it('names the bad entry and says why', () => {
    expect(problems(['10.0.0.0/24', '10.0.0.0/33'])).toEqual(['clusters.0.nodeNetworks.1: prefix length must be 0-32']);
    expect(problems(['10.0.0.0/24:6379'])[0]).toMatch(
      /^clusters\.0\.nodeNetworks\.0: expected an IP address or a CIDR/,
    );
    expect(problems(['10.0.0.256'])[0]).toMatch(/^clusters\.0\.nodeNetworks\.0: expected an IP address or a CIDR/);
    expect(problems(['fd00::1::/64'])[0]).toMatch(/^clusters\.0\.nodeNetworks\.0: expected an IP address or a CIDR/);
    expect(problems(['[fd00::]/64'])).toEqual([]);
    expect(problems(['not a host'])[0]).toMatch(/^clusters\.0\.nodeNetworks\.0: expected a network/);
    expect(problems([])).toEqual([
      'clusters.0.nodeNetworks: at least one network; leave the field out for the default',
    ]);
  });
});
