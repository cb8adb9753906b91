import 'server-only';
import type { ClusterLinksResponse, NodeDetail, SlowlogResponse } from '@/lib/api/types';
import { parseClusterLinks } from '@/lib/redis/clusterLinks';
import { atLeast, serverVersion } from '@/lib/redis/features';
import { parseSlowlog } from '@/lib/redis/slowlog';
import { ApiError } from '../api/errors';
import { describeNodeError } from '../collect/errors';
import { memberOr404, pollerOr404 } from './poller';

/** From the poller's cache: no Redis call. */
export function nodeDetail(clusterId: string, nodeId: string): NodeDetail {
  const { node, info } = memberOr404(clusterId, nodeId);
  return { node, infoSections: info?.sections ?? {} };
}

/** On demand, over the poller's connection to that node. */
export async function nodeSlowlog(clusterId: string, nodeId: string, count = 128): Promise<SlowlogResponse> {
  const { node, connection } = memberOr404(clusterId, nodeId);
  const password = pollerOr404(clusterId).cluster.password;
  try {
    await connection.ready(2000);
    const reply = await connection.redis.call('SLOWLOG', 'GET', String(count));
    return { nodeId: node.id, addr: node.addr, entries: parseSlowlog(reply) };
  } catch (err) {
    throw new ApiError(
      'conflict',
      `SLOWLOG GET on ${node.addr} failed: ${describeNodeError(err, password ? [password] : [])}`,
    );
  }
}

/** CLUSTER LINKS where the server has it (Redis 7.0+, Valkey 7.2+). */
export async function nodeLinks(clusterId: string, nodeId: string): Promise<ClusterLinksResponse> {
  const { node, connection, info } = memberOr404(clusterId, nodeId);
  const version = serverVersion(info?.fields ?? {});
  const supported = version.flavour === 'valkey' ? atLeast(version.version, '7.2') : atLeast(version.version, '7.0');
  if (!supported)
    return {
      nodeId: node.id,
      supported,
      links: [],
      error: `${version.flavour} ${version.version} has no CLUSTER LINKS`,
    };
  const password = pollerOr404(clusterId).cluster.password;
  try {
    await connection.ready(2000);
    return { nodeId: node.id, supported, links: parseClusterLinks(await connection.redis.call('CLUSTER', 'LINKS')) };
  } catch (err) {
    return { nodeId: node.id, supported, links: [], error: describeNodeError(err, password ? [password] : []) };
  }
}
