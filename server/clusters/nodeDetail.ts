import 'server-only';
import type { NodeDetail, SlowlogResponse } from '@/lib/api/types';
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
