// Shared by integration tests: a ResolvedCluster pointed at a dev cluster, and waiting for a state with a deadline.
import type { ResolvedCluster } from '../../server/config/load';
import type { DevCluster } from '../devcluster/cluster';

export { waitFor } from '../devcluster/cluster';

export function resolvedClusterFor(dev: DevCluster, overrides: Partial<ResolvedCluster> = {}): ResolvedCluster {
  const seed = dev.nodes[0];
  if (!seed) throw new Error('dev cluster has no nodes');
  return {
    id: 'test',
    name: 'Test cluster',
    seeds: [seed.addr],
    natMap: {},
    pollIntervalMs: 1000,
    nodeDeadlineMs: 1000,
    connectTimeoutMs: 2000,
    ...(dev.password ? { password: dev.password } : {}),
    ...overrides,
  };
}
