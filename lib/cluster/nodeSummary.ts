import { isFailed, isPfail } from '../findings/describe';
import { DEFAULT_FINDING_OPTIONS } from '../findings/types';
import { type UnreachableKind, unreachableKind } from './reachability';
import type { SnapshotNode } from './types';

/** A replica's replication link as its own INFO reports it. */
export interface ReplicationLink {
  status: 'up' | 'down' | 'unknown';
  /** When the link went down (ISO 8601), from master_link_down_since_seconds; only while down. */
  downSince?: string;
  downForSeconds?: number;
  /** master_last_io_seconds_ago while up: how long since the master last sent anything. */
  lastIoSecondsAgo?: number;
}

export interface ReplicaOfMaster {
  node: SnapshotNode;
  link: ReplicationLink;
  /** Bytes behind the master (master_repl_offset - slave_repl_offset), when both answered. */
  lagBytes?: number;
}

/** What the top of the node page says, from the snapshot: computed, so it is tested without a browser. */
export interface NodeSummary {
  role: SnapshotNode['role'];
  /** For a replica: its master, when the snapshot lists it. */
  master?: SnapshotNode;
  /** For a replica: the master's id even when that node is not listed. */
  masterId?: string;
  /** For a master: its replicas with their links and lag. */
  replicas: ReplicaOfMaster[];
  /** For a replica: its own link and lag. */
  link?: ReplicationLink;
  lagBytes?: number;
  memory?: { used: number; max: number; ratio?: number; high: boolean };
  opsPerSec?: number;
  clients?: { connected: number; blocked: number };
  uptimeSeconds?: number;
  reachable: boolean;
  unreachable?: { kind: UnreachableKind; error: string };
  /** The cluster's own view of it. */
  clusterSays: 'ok' | 'pfail' | 'fail';
  /**
   * The failover the page offers to operators: promote this replica, or promote the best replica of this master
   * (a master with slots and replicas). The same targets the cluster page's shard cards open the wizard with.
   */
  failover?: { replicaId: string } | { masterId: string };
}

/** A replica's link from its INFO; `collectedAt` (the snapshot's time) anchors "down since". */
export function replicationLink(replica: SnapshotNode, collectedAt: string, lastIo?: string): ReplicationLink {
  const info = replica.info;
  if (!replica.reachable || !info?.master_link_status) return { status: 'unknown' };
  if (info.master_link_status === 'up') {
    const io = lastIo === undefined ? Number.NaN : Number(lastIo);
    return { status: 'up', ...(Number.isFinite(io) && io >= 0 ? { lastIoSecondsAgo: io } : {}) };
  }
  const seconds = info.master_link_down_since_seconds;
  // Redis reports -1 when the link was never up (e.g. the first sync has not finished).
  if (seconds === undefined || seconds < 0) return { status: 'down' };
  const at = Date.parse(collectedAt) - seconds * 1000;
  return {
    status: 'down',
    downForSeconds: seconds,
    ...(Number.isFinite(at) ? { downSince: new Date(at).toISOString() } : {}),
  };
}

function lag(master: SnapshotNode | undefined, replica: SnapshotNode): number | undefined {
  if (!master?.info || replica.info?.slave_repl_offset === undefined) return undefined;
  return Math.max(0, master.info.master_repl_offset - replica.info.slave_repl_offset);
}

export function nodeSummary(
  node: SnapshotNode,
  nodes: readonly SnapshotNode[],
  options: {
    collectedAt: string;
    /** INFO replication's master_last_io_seconds_ago of this node (the detail's raw INFO), for a replica. */
    lastIoSecondsAgo?: string;
    memoryHighRatio?: number;
  },
): NodeSummary {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const info = node.info;
  const replicas =
    node.role === 'master'
      ? nodes
          .filter((n) => n.role === 'replica' && n.masterId === node.id)
          .map((r) => ({
            node: r,
            link: replicationLink(r, options.collectedAt),
            ...(lag(node, r) === undefined ? {} : { lagBytes: lag(node, r) }),
          }))
      : [];
  const master = node.role === 'replica' && node.masterId ? byId.get(node.masterId) : undefined;
  const highRatio = options.memoryHighRatio ?? DEFAULT_FINDING_OPTIONS.memoryHighRatio;
  const ratio = info && info.maxmemory > 0 ? info.used_memory / info.maxmemory : undefined;
  const replicaLag = node.role === 'replica' ? lag(master, node) : undefined;
  const failover =
    // A replica marked FAIL, or one the dashboard cannot reach, cannot be promoted from here: no button for it.
    node.role === 'replica' && node.masterId && node.reachable && !isFailed(node)
      ? { replicaId: node.id }
      : node.role === 'master' && node.slotCount > 0 && replicas.length > 0
        ? { masterId: node.id }
        : undefined;
  return {
    role: node.role,
    ...(master ? { master } : {}),
    ...(node.role === 'replica' && node.masterId ? { masterId: node.masterId } : {}),
    replicas,
    ...(node.role === 'replica' ? { link: replicationLink(node, options.collectedAt, options.lastIoSecondsAgo) } : {}),
    ...(replicaLag === undefined ? {} : { lagBytes: replicaLag }),
    ...(info
      ? {
          memory: {
            used: info.used_memory,
            max: info.maxmemory,
            ...(ratio === undefined ? {} : { ratio }),
            high: ratio !== undefined && ratio > highRatio,
          },
          opsPerSec: info.instantaneous_ops_per_sec,
          clients: { connected: info.connected_clients, blocked: info.blocked_clients },
          uptimeSeconds: info.uptime_in_seconds,
        }
      : {}),
    reachable: node.reachable,
    ...(node.reachable ? {} : { unreachable: { kind: unreachableKind(node.error), error: node.error ?? 'no reply' } }),
    clusterSays: isFailed(node) ? 'fail' : isPfail(node) || (node.pfailSeenBy?.length ?? 0) > 0 ? 'pfail' : 'ok',
    ...(failover ? { failover } : {}),
  };
}

/** "3 d 4 h", "5 h 12 min", "12 min", "42 s". */
export function formatUptime(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}
