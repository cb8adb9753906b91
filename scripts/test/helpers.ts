// Shared by integration tests: a ResolvedCluster pointed at a dev cluster, and waiting for a state with a deadline.
import type { ClusterSnapshot } from '../../lib/cluster/types';
import { defaultNodeNetworks } from '../../lib/config/nodeNetworks';
import type { ResolvedCluster } from '../../server/config/load';
import { type DevCluster, type DevClusterOptions, startDevCluster, waitFor } from '../devcluster/cluster';

export { waitFor };

/**
 * The cluster as resolveConfig would give it; nodeNetworks default from the seeds and natMap, as there. `dev`: a
 * DevCluster, or anything with its nodes' addresses and password (a simulated cluster, scripts/simcluster).
 */
export function resolvedClusterFor(
  dev: Pick<DevCluster, 'password'> & { nodes: ReadonlyArray<{ addr: string }> },
  overrides: Partial<ResolvedCluster> = {},
): ResolvedCluster {
  const seed = dev.nodes[0];
  if (!seed) throw new Error('dev cluster has no nodes');
  const seeds = overrides.seeds ?? [seed.addr];
  return {
    nodeNetworks: defaultNodeNetworks(seeds, Object.values(overrides.natMap ?? {})),
    id: 'test',
    name: 'Test cluster',
    seeds: [seed.addr],
    natMap: {},
    allowedTargets: [],
    historyMinutes: 60,
    latencySampleMs: 0,
    slotHeatSweepMinutes: 5,
    pollIntervalMs: 1000,
    nodeDeadlineMs: 1000,
    connectTimeoutMs: 2000,
    ...(dev.password ? { password: dev.password } : {}),
    ...overrides,
  };
}

/** Collect until the snapshot satisfies `ok`, with a deadline. */
export async function collectUntil(
  collector: { collect(): Promise<ClusterSnapshot> },
  what: string,
  ok: (s: ClusterSnapshot) => boolean,
  timeoutMs = 20_000,
): Promise<ClusterSnapshot> {
  return waitFor(
    what,
    async () => {
      const snapshot = await collector.collect();
      return ok(snapshot) ? snapshot : undefined;
    },
    timeoutMs,
    200,
  );
}

export const THREE_HOSTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];

/** 3 masters + 3 replicas over three loopback "hosts", each replica on another host than its master. */
export function startThreeHostCluster(options: Partial<DevClusterOptions> = {}): Promise<DevCluster> {
  return startDevCluster({ masters: 3, replicasPerMaster: 1, hosts: THREE_HOSTS, nodeTimeoutMs: 2000, ...options });
}
