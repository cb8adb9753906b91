import 'server-only';
import type { SetNodeTimeoutResult } from '@/lib/api/types';
import { ApiError } from '../api/errors';
import { describeNodeError } from '../collect/errors';
import type { ClusterPoller } from '../collect/poller';
import { refuseIfLocked } from '../store/operationLock';

/**
 * redis-cli --cluster set-timeout: CONFIG SET cluster-node-timeout on every node, then CONFIG REWRITE where the node
 * has a config file. Refused while any node is unreachable, so no node is left with a different timeout, and while
 * another operation holds the cluster (a failover's election timing depends on the timeout).
 */
export async function setNodeTimeout(poller: ClusterPoller, timeoutMs: number): Promise<SetNodeTimeoutResult> {
  refuseIfLocked(poller.cluster.id);
  const nodes = poller.latest?.nodes ?? [];
  const down = nodes.filter((n) => !n.reachable);
  if (nodes.length === 0) throw new ApiError('not_ready', 'no snapshot of this cluster yet');
  if (down.length) {
    throw new ApiError(
      'conflict',
      `refused: ${down.map((n) => `${n.addr || n.id}${n.outsideNodeNetworks ? ' (outside nodeNetworks: not polled)' : ''}`).join(', ')} unreachable; every node must take the same timeout`,
    );
  }
  const secrets = poller.cluster.password ? [poller.cluster.password] : [];
  const results = await Promise.all(
    nodes.map(async (node) => {
      const member = poller.member(node.id);
      if (!member) return { id: node.id, addr: node.addr, ok: false, rewritten: false, error: 'no longer a member' };
      if (!member.connection)
        return { id: node.id, addr: node.addr, ok: false, rewritten: false, error: 'outside nodeNetworks: not polled' };
      try {
        await member.connection.redis.call('CONFIG', 'SET', 'cluster-node-timeout', String(timeoutMs));
      } catch (err) {
        return { id: node.id, addr: node.addr, ok: false, rewritten: false, error: describeNodeError(err, secrets) };
      }
      try {
        await member.connection.redis.call('CONFIG', 'REWRITE');
        return { id: node.id, addr: node.addr, ok: true, rewritten: true };
      } catch (err) {
        return {
          id: node.id,
          addr: node.addr,
          ok: true,
          rewritten: false,
          error: `set, not persisted: ${describeNodeError(err, secrets)}`,
        };
      }
    }),
  );
  return { timeoutMs, nodes: results };
}
