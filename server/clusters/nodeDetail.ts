import 'server-only';
import { ON_DEMAND_REFRESH_MS, SLOWLOG_FETCH } from '@/lib/api/onDemand';
import type { ClusterLinksResponse, NodeDetail, SlowlogResponse } from '@/lib/api/types';
import type { SnapshotNode } from '@/lib/cluster/types';
import { parseClusterLinks } from '@/lib/redis/clusterLinks';
import { serverVersion, supportsClusterLinks } from '@/lib/redis/features';
import type { NotPermitted } from '@/lib/redis/refusal';
import { parseSlowlog, redactSlowlogArgs, type SlowlogEntry } from '@/lib/redis/slowlog';
import { ApiError } from '../api/errors';
import type { ClusterPoller } from '../collect/poller';
import { memberOr404, pollerOr404 } from './poller';
import { connectAddrOf, readsFor } from './reads';

/** From the poller's cache: no Redis call. */
export function nodeDetail(clusterId: string, nodeId: string): NodeDetail {
  const { node, info } = memberOr404(clusterId, nodeId);
  return { node, infoSections: info?.sections ?? {} };
}

export type SlowlogRead =
  | { entries: SlowlogEntry[]; notPermitted?: undefined; error?: undefined }
  | { entries: []; notPermitted: NotPermitted; error?: undefined }
  | { entries: []; notPermitted?: undefined; error: string };

/** One node's slow log through the cluster's shared reads: one SLOWLOG GET per node per period, whoever asks. */
export async function readSlowlog(poller: ClusterPoller, node: SnapshotNode): Promise<SlowlogRead> {
  const addr = connectAddrOf(node);
  if (!addr) return { entries: [], error: 'the node has no address' };
  const result = await readsFor(poller).read(
    addr,
    ['SLOWLOG', 'GET', String(SLOWLOG_FETCH)],
    ON_DEMAND_REFRESH_MS.slowlog,
  );
  if (result.kind === 'not_permitted') return { entries: [], notPermitted: result.notPermitted };
  if (result.kind === 'error') return { entries: [], error: result.error };
  try {
    // A MIGRATE the dashboard sent carries the cluster's password (AUTH/AUTH2), and Redis before 6.2 keeps it.
    const secrets = poller.cluster.password ? [poller.cluster.password] : [];
    const entries = parseSlowlog(result.reply).map((e) => ({ ...e, args: redactSlowlogArgs(e.args, secrets) }));
    return { entries };
  } catch (err) {
    return { entries: [], error: err instanceof Error ? err.message : String(err) };
  }
}

export async function nodeSlowlog(clusterId: string, nodeId: string): Promise<SlowlogResponse> {
  const { node } = memberOr404(clusterId, nodeId);
  const read = await readSlowlog(pollerOr404(clusterId), node);
  if (read.error !== undefined) throw new ApiError('conflict', `SLOWLOG GET on ${node.addr} failed: ${read.error}`);
  return {
    nodeId: node.id,
    addr: node.addr,
    entries: read.entries,
    ...(read.notPermitted ? { notPermitted: read.notPermitted } : {}),
  };
}

/** CLUSTER LINKS where the server has it (Redis 7.0+, Valkey 7.2+), through the cluster's shared reads. */
export async function nodeLinks(clusterId: string, nodeId: string): Promise<ClusterLinksResponse> {
  const { node, info } = memberOr404(clusterId, nodeId);
  const version = serverVersion(info?.fields ?? {});
  const supported = supportsClusterLinks(version);
  const base = { nodeId: node.id, supported, links: [] };
  if (!supported) return { ...base, error: `${version.flavour} ${version.version} has no CLUSTER LINKS` };
  const addr = connectAddrOf(node);
  if (!addr) return { ...base, error: 'the node has no address' };
  const result = await readsFor(pollerOr404(clusterId)).read(addr, ['CLUSTER', 'LINKS'], ON_DEMAND_REFRESH_MS.links);
  if (result.kind === 'not_permitted') return { ...base, notPermitted: result.notPermitted };
  if (result.kind === 'error') return { ...base, error: result.error };
  try {
    return { ...base, links: parseClusterLinks(result.reply) };
  } catch (err) {
    return { ...base, error: err instanceof Error ? err.message : String(err) };
  }
}
