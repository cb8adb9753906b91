import 'server-only';
import { ON_DEMAND_REFRESH_MS, SLOWLOG_FETCH } from '@/lib/api/onDemand';
import type { ClusterSlowlogResponse } from '@/lib/api/types';
import { parseSlowlog, redactSlowlogArgs } from '@/lib/redis/slowlog';
import { describeNodeError } from '../collect/errors';
import { withDeadline } from './connection';
import type { SentinelPoller } from './poller';

type NodeRead = {
  entries: ReturnType<typeof parseSlowlog>;
  notPermitted?: { user: string; command: string };
  error?: string;
};

// One SLOWLOG GET per data node per period, however many viewers ask (as the cluster's shared reads do).
const cache = new WeakMap<SentinelPoller, Map<string, { at: number; read: Promise<NodeRead> }>>();

function readNode(poller: SentinelPoller, addr: string): Promise<NodeRead> {
  let reads = cache.get(poller);
  if (!reads) {
    reads = new Map();
    cache.set(poller, reads);
  }
  const cached = reads.get(addr);
  if (cached && Date.now() - cached.at < ON_DEMAND_REFRESH_MS.slowlog) return cached.read;
  const { deployment } = poller;
  const secrets = deployment.password ? [deployment.password] : [];
  const read = withDeadline(
    poller.connection(addr, 'data').call('SLOWLOG', 'GET', SLOWLOG_FETCH),
    deployment.nodeDeadlineMs,
  ).then(
    (reply): NodeRead => {
      try {
        return { entries: parseSlowlog(reply).map((e) => ({ ...e, args: redactSlowlogArgs(e.args, secrets) })) };
      } catch (err) {
        return { entries: [], error: err instanceof Error ? err.message : String(err) };
      }
    },
    (err: unknown): NodeRead => {
      const message = err instanceof Error ? err.message : String(err);
      if (/NOPERM/.test(message))
        return { entries: [], notPermitted: { user: deployment.username ?? 'default', command: 'slowlog|get' } };
      return { entries: [], error: describeNodeError(err, secrets) };
    },
  );
  reads.set(addr, { at: Date.now(), read });
  return read;
}

/** GET /slowlog for a Sentinel deployment: every reachable data node's slow log, merged newest first (nodeId = addr). */
export async function sentinelSlowlog(poller: SentinelPoller, count: number): Promise<ClusterSlowlogResponse> {
  const snapshot = poller.latest;
  const nodes = [...(snapshot?.master ? [snapshot.master] : []), ...(snapshot?.replicas ?? [])].filter(
    (n) => n.reachable,
  );
  const reads = await Promise.all(nodes.map(async (node) => ({ node, read: await readNode(poller, node.addr) })));
  return {
    entries: reads
      .flatMap(({ node, read }) =>
        read.entries.slice(0, count).map((e) => ({ ...e, nodeId: node.addr, addr: node.addr })),
      )
      .sort((a, b) => b.timestamp - a.timestamp || b.durationMicros - a.durationMicros)
      .slice(0, count * 4),
    skipped: reads.flatMap(({ node, read }) =>
      read.notPermitted || read.error !== undefined
        ? [
            {
              nodeId: node.addr,
              addr: node.addr,
              ...(read.notPermitted ? { notPermitted: read.notPermitted } : { error: read.error }),
            },
          ]
        : [],
    ),
  };
}
