import 'server-only';
import type { NodeInfoSummary, SnapshotNode } from '@/lib/cluster/types';
import { splitHostPort } from '@/lib/config/schema';
import type { SentinelDataNode, SentinelSnapshot } from '@/lib/sentinel/types';
import type { HistorySource } from '../history/clusterHistory';

/**
 * A data node as the trends' history reads a cluster node: id = its address (a Sentinel deployment's nodes have no
 * cluster node id), the replica's master by address, its INFO summary. The cluster-only fields are empty.
 */
function historyNode(
  node: SentinelDataNode,
  info: NodeInfoSummary | undefined,
  masterAddr: string | null,
): SnapshotNode {
  const { host, port } = splitHostPort(node.addr);
  return {
    id: node.addr,
    addr: node.addr,
    host,
    port,
    role: node.addr === masterAddr ? 'master' : 'replica',
    masterId: node.addr === masterAddr ? null : (node.masterAddr ?? masterAddr),
    flags: [...node.sentinelFlags],
    linkState: node.reachable ? 'connected' : 'disconnected',
    configEpoch: 0,
    pingSentMs: 0,
    pongRecvMs: 0,
    slots: [],
    slotCount: 0,
    migrating: [],
    importing: [],
    reachable: node.reachable,
    ...(info && node.reachable ? { info } : {}),
  };
}

/** The data nodes of a poll in the history's terms (the master first), with the INFO summaries the poll read. */
export function historySource(snapshot: SentinelSnapshot, infos: ReadonlyMap<string, NodeInfoSummary>): HistorySource {
  const masterAddr = snapshot.master?.addr ?? null;
  const nodes = [...(snapshot.master ? [snapshot.master] : []), ...snapshot.replicas];
  return {
    collectedAt: snapshot.collectedAt,
    nodes: nodes.map((n) => historyNode(n, infos.get(n.addr), masterAddr)),
  };
}

/**
 * Each reachable data node's INFO round trip this poll, by address: recorded as the poll's ping_ms sample (the
 * deployment has no PING sampler of its own), so the trends draw a latency per node where the history has it.
 */
export function pollRoundTrips(snapshot: SentinelSnapshot): Map<string, number> {
  const nodes = [...(snapshot.master ? [snapshot.master] : []), ...snapshot.replicas];
  return new Map(nodes.flatMap((n) => (n.reachable && n.latencyMs !== undefined ? [[n.addr, n.latencyMs]] : [])));
}
