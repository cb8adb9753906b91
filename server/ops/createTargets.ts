import 'server-only';
import type { TargetCheckResult } from '@/lib/api/types';
import { ClusterConfig } from '@/lib/config/schema';
import { ApiError } from '../api/errors';
import { currentConfig, getPoller } from '../collect/pollers';
import type { ResolvedCluster, ResolvedConfig } from '../config/load';
import { inAllowList } from '../security/targets';
import { readTargetFacts } from './checkTarget';

export interface CreateCredentials {
  loginFrom?: string;
  username?: string;
  password?: string;
}

type PolledNodes = (clusterId: string) => ReadonlyArray<{ addr: string; connectAddr?: string }>;
const polledNodes: PolledNodes = (clusterId) => getPoller(clusterId)?.latest?.nodes ?? [];

/** The configured cluster (by its seeds, natMap or polled nodes) that `addr` belongs to, if any. */
export function configuredClusterOf(
  config: ResolvedConfig,
  addr: string,
  polled: PolledNodes = polledNodes,
): string | undefined {
  for (const cluster of config.clusters) {
    const nodes = polled(cluster.id);
    const known = [
      ...cluster.seeds,
      ...Object.keys(cluster.natMap),
      ...Object.values(cluster.natMap),
      ...nodes.flatMap((n) => [n.addr, n.connectAddr ?? n.addr]),
    ];
    if (known.includes(addr)) return cluster.id;
  }
  return undefined;
}

/**
 * Every address must be inside the config's createTargets and belong to no configured cluster; checked before any
 * packet (and so any AUTH) is sent to any of them. Throws the 403 naming every address refused.
 */
export function assertCreateAllowed(
  addrs: readonly string[],
  config: ResolvedConfig = currentConfig(),
  polled: PolledNodes = polledNodes,
): void {
  if (config.createTargets.length === 0)
    throw new ApiError(
      'target_not_allowed',
      'creating a cluster is disabled: list the addresses it may use in the config field "createTargets" (e.g. ["10.0.0.0/24"]); nothing was sent',
    );
  const refused = addrs.flatMap((addr) => {
    const member = configuredClusterOf(config, addr, polled);
    if (member) return [`${addr} is a node of configured cluster "${member}"`];
    return inAllowList(addr, config.createTargets) ? [] : [`${addr} is not inside createTargets`];
  });
  if (refused.length) throw new ApiError('target_not_allowed', `${refused.join('; ')}; nothing was sent to any node`);
}

/**
 * A stand-in cluster carrying only what a connection to a new node needs: the credentials (and TLS) of the cluster
 * named by `loginFrom`, or the typed ones. Never serialised.
 */
export function credentialsCluster(
  addrs: readonly string[],
  credentials: CreateCredentials,
  config: ResolvedConfig = currentConfig(),
): ResolvedCluster {
  const base = ClusterConfig.parse({ id: 'new-cluster', name: 'new cluster', seeds: addrs });
  const { password: _password, passwordEnv: _passwordEnv, tls: _tls, nodeNetworks: _nodeNetworks, ...rest } = base;
  if (credentials.loginFrom) {
    const from = config.clusters.find((c) => c.id === credentials.loginFrom);
    if (!from) throw new ApiError('bad_request', `loginFrom: no configured cluster "${credentials.loginFrom}"`);
    return {
      ...rest,
      nodeNetworks: [],
      connectTimeoutMs: from.connectTimeoutMs,
      ...(from.username ? { username: from.username } : {}),
      ...(from.password ? { password: from.password } : {}),
      ...(from.tls ? { tls: from.tls } : {}),
    };
  }
  return {
    ...rest,
    nodeNetworks: [],
    ...(credentials.username ? { username: credentials.username } : {}),
    ...(credentials.password ? { password: credentials.password } : {}),
  };
}

/** The allow-list, then checkTarget's reads on every node (in parallel; nothing is changed on any). */
export async function readCreateNodes(
  addrs: readonly string[],
  credentials: CreateCredentials,
): Promise<{ cluster: ResolvedCluster; facts: TargetCheckResult[] }> {
  assertCreateAllowed(addrs);
  const cluster = credentialsCluster(addrs, credentials);
  const facts = await Promise.all(addrs.map((addr) => readTargetFacts(cluster, addr, false)));
  return { cluster, facts };
}
