import 'server-only';
import type { TargetCheckResult } from '@/lib/api/types';
import { parseClusterInfo } from '@/lib/redis/clusterInfo';
import { parseInfo } from '@/lib/redis/info';
import { ApiError } from '../api/errors';
import { describeNodeError } from '../collect/errors';
import type { ClusterPoller } from '../collect/poller';
import type { ResolvedCluster } from '../config/load';
import { NodeConnection } from '../redis/nodeClient';
import { dialAllowed } from '../security/nodeNetworks';
import { inAllowList } from '../security/targets';

/**
 * A typed address is refused unless it is a current member or inside the cluster's allowedTargets, before any
 * packet (and so any AUTH with the cluster's password) is sent to it.
 */
export function assertTargetAllowed(poller: ClusterPoller, addr: string): { member: boolean } {
  const members = new Set((poller.latest?.nodes ?? []).flatMap((n) => [n.addr, n.connectAddr ?? n.addr]));
  if (members.has(addr)) {
    // A member is an announced address: it must be inside nodeNetworks like any other the dashboard dials.
    if (!dialAllowed(poller.cluster, addr))
      throw new ApiError(
        'target_not_allowed',
        `${addr} is a member of cluster "${poller.cluster.id}" but outside its nodeNetworks; nothing was sent to it`,
      );
    return { member: true };
  }
  if (inAllowList(addr, poller.cluster.allowedTargets)) return { member: false };
  throw new ApiError(
    'target_not_allowed',
    `${addr} is neither a member of cluster "${poller.cluster.id}" nor inside its allowedTargets; nothing was sent to it`,
  );
}

/** Keys over every db of INFO keyspace; an empty node answers the section header alone (redis-cli's emptiness test). */
function keysIn(keyspace: string): number {
  return [...keyspace.matchAll(/^db\d+:keys=(\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/**
 * ioredis only warns when the node answers its AUTH with "no password is set": ask again ourselves, so a node that
 * would join a password-protected cluster open is caught (redis-cli treats any AUTH error as "cannot connect").
 */
async function acceptsWithoutPassword(connection: NodeConnection, cluster: ClusterPoller['cluster']): Promise<boolean> {
  if (!cluster.password) return false;
  const auth = cluster.username ? [cluster.username, cluster.password] : [cluster.password];
  try {
    await connection.call('AUTH', ...auth);
    return false;
  } catch (err) {
    if (/no password is set|without any password configured/i.test((err as Error).message)) return true;
    throw err;
  }
}

/**
 * One short-lived connection: AUTH, INFO server, INFO cluster, CLUSTER INFO, CLUSTER MYID, INFO keyspace. Changes
 * nothing on the node.
 */
export async function checkTarget(poller: ClusterPoller, addr: string): Promise<TargetCheckResult> {
  const { member } = assertTargetAllowed(poller, addr);
  return readTargetFacts(poller.cluster, addr, member);
}

/** The reads of checkTarget, with `cluster`'s credentials, on an address its caller has already allowed. */
export async function readTargetFacts(
  cluster: ResolvedCluster,
  addr: string,
  member: boolean,
): Promise<TargetCheckResult> {
  const connection = new NodeConnection(addr, cluster, cluster.connectTimeoutMs, { typedTarget: !member });
  const secrets = cluster.password ? [cluster.password] : [];
  try {
    await connection.ready(cluster.connectTimeoutMs);
    const passwordless = await acceptsWithoutPassword(connection, cluster);
    const info = parseInfo(String(await connection.call('INFO', 'server')));
    const clusterSection = parseInfo(String(await connection.call('INFO', 'cluster')));
    const pollable = dialAllowed(cluster, addr);
    const base = { addr, member, reachable: true, redisVersion: info.fields.redis_version, passwordless, pollable };
    if (clusterSection.fields.cluster_enabled === '0') {
      return { ...base, clusterEnabled: false, readyToJoin: false };
    }
    const clusterInfo = parseClusterInfo(String(await connection.call('CLUSTER', 'INFO')));
    const nodeId = String(await connection.call('CLUSTER', 'MYID'));
    const keys = keysIn(String(await connection.call('INFO', 'keyspace')));
    const knownNodes = Number(clusterInfo.cluster_known_nodes ?? 0);
    const slotsAssigned = Number(clusterInfo.cluster_slots_assigned ?? 0);
    return {
      ...base,
      clusterEnabled: true,
      nodeId,
      knownNodes,
      slotsAssigned,
      configEpoch: Number(clusterInfo.cluster_my_epoch ?? 0),
      currentEpoch: Number(clusterInfo.cluster_current_epoch ?? 0),
      keys,
      readyToJoin: !member && knownNodes === 1 && slotsAssigned === 0 && keys === 0 && !passwordless && pollable,
    };
  } catch (err) {
    const message = describeNodeError(err, secrets);
    if (/cluster support disabled/i.test(message))
      return { addr, member, reachable: true, clusterEnabled: false, readyToJoin: false };
    return { addr, member, reachable: false, error: message, readyToJoin: false };
  } finally {
    connection.close();
  }
}
