// Builds snapshots for the findings tests: a healthy 3-master/3-replica cluster over three hosts, then edits.
import type { ClusterSnapshot, NodeInfoSummary, SnapshotNode } from '../cluster/types';
import type { SlotRange } from '../redis/slots';

const info = (overrides: Partial<NodeInfoSummary> = {}): NodeInfoSummary => ({
  redis_version: '7.0.15',
  server_name: 'redis',
  uptime_in_seconds: 100,
  used_memory: 10 * 1024 ** 2,
  used_memory_rss: 12 * 1024 ** 2,
  maxmemory: 1024 ** 3,
  maxmemory_policy: 'noeviction',
  instantaneous_ops_per_sec: 0,
  total_commands_processed: 0,
  total_net_input_bytes: 0,
  total_net_output_bytes: 0,
  connected_clients: 1,
  blocked_clients: 0,
  keyspace_hits: 0,
  keyspace_misses: 0,
  evicted_keys: 0,
  expired_keys: 0,
  master_repl_offset: 1000,
  connected_slaves: 1,
  keys: 0,
  ...overrides,
});

export const id = (n: number) => String(n).repeat(40).slice(0, 40);

export function node(
  n: number,
  host: string,
  role: 'master' | 'replica',
  extra: Partial<SnapshotNode> = {},
): SnapshotNode {
  const slots: SlotRange[] = extra.slots ?? [];
  return {
    id: id(n),
    addr: `${host}:700${n}`,
    host,
    port: 7000 + n,
    role,
    masterId: null,
    flags: [role === 'master' ? 'master' : 'slave'],
    linkState: 'connected',
    configEpoch: n,
    pingSentMs: 0,
    pongRecvMs: 0,
    slots,
    slotCount: slots.reduce((s, [a, b]) => s + b - a + 1, 0),
    migrating: [],
    importing: [],
    reachable: true,
    viewSignature: 'same',
    info: info(role === 'replica' ? { master_link_status: 'up', slave_repl_offset: 1000, connected_slaves: 0 } : {}),
    clusterConfig: { 'cluster-node-timeout': '15000', 'cluster-require-full-coverage': 'yes' },
    ...extra,
  };
}

export function healthy(): ClusterSnapshot {
  const nodes = [
    node(1, '10.0.0.1', 'master', { slots: [[0, 5460]] }),
    node(4, '10.0.0.2', 'replica', { masterId: id(1) }),
    node(2, '10.0.0.2', 'master', { slots: [[5461, 10922]] }),
    node(5, '10.0.0.3', 'replica', { masterId: id(2) }),
    node(3, '10.0.0.3', 'master', { slots: [[10923, 16383]] }),
    node(6, '10.0.0.1', 'replica', { masterId: id(3) }),
  ];
  return {
    clusterId: 'c',
    clusterName: 'C',
    collectedAt: new Date(0).toISOString(),
    pollDurationMs: 1,
    status: 'ok',
    state: { cluster_state: 'ok' },
    referenceNodeId: id(1),
    nodes,
    unidentified: [],
    summary: { nodes: 6, masters: 3, replicas: 3, reachable: 6, slotsCovered: 16384 },
  };
}

/** A copy of the snapshot with one node changed. */
export function withNode(snapshot: ClusterSnapshot, n: number, change: Partial<SnapshotNode>): ClusterSnapshot {
  return { ...snapshot, nodes: snapshot.nodes.map((x) => (x.id === id(n) ? { ...x, ...change } : x)) };
}

export const infoWith = info;
