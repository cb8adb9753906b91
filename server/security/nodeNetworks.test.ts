import { describe, expect, it } from 'vitest';
import { defaultNodeNetworks } from '@/lib/config/nodeNetworks';
import { dialAllowed, learnSeedNetworks } from './nodeNetworks';

function cluster(seeds: string[], configured?: string[]) {
  return {
    id: 'c',
    seeds,
    natMap: {},
    nodeNetworks: configured ?? defaultNodeNetworks(seeds, []),
    ...(configured ? {} : { nodeNetworksByDefault: true }),
  };
}

describe('nodeNetworks of host-name seeds', () => {
  it('a default list learns the /24 a host-name seed resolves to, so the nodes it announces are polled', async () => {
    const byName = cluster(['localhost:7000']);
    expect(dialAllowed(byName, 'localhost:7000')).toBe(true);
    expect(dialAllowed(byName, '127.0.0.1:7001')).toBe(false);
    await learnSeedNetworks(byName);
    expect(dialAllowed(byName, '127.0.0.1:7001')).toBe(true);
    expect(dialAllowed(byName, '127.0.1.1:7001')).toBe(false);
    expect(dialAllowed(byName, '10.0.0.1:7001')).toBe(false);
  });

  it('a configured list is kept as written, and a name that does not resolve adds nothing', async () => {
    const configured = cluster(['localhost:7000'], ['localhost']);
    await learnSeedNetworks(configured);
    expect(dialAllowed(configured, '127.0.0.1:7001')).toBe(false);
    const unknown = cluster(['no-such-host.invalid:7000']);
    await learnSeedNetworks(unknown);
    expect(dialAllowed(unknown, '127.0.0.1:7001')).toBe(false);
  });
});
