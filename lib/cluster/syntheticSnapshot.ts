import type { ClusterSnapshot, SnapshotNode } from './types';

/**
 * A made-up cluster of `count` nodes (half masters, slots split evenly, one replica each), for tests of what depends
 * only on the snapshot's shape and size. Node i listens on 127.0.0.(1 + i % 200):(7000 + i).
 */
export function syntheticNode(i: number, masters: number): SnapshotNode {
  const master = i < masters;
  const per = Math.floor(16384 / masters);
  return {
    id: `${i.toString(16).padStart(8, '0')}${'a'.repeat(32)}`,
    addr: `127.0.0.${1 + (i % 200)}:${7000 + i}@${17000 + i}`,
    host: `127.0.0.${1 + (i % 200)}`,
    port: 7000 + i,
    role: master ? 'master' : 'replica',
    masterId: master ? null : `${(i % masters).toString(16).padStart(8, '0')}${'a'.repeat(32)}`,
    flags: [master ? 'master' : 'slave'],
    linkState: 'connected',
    configEpoch: master ? i + 1 : 0,
    pingSentMs: 0,
    pongRecvMs: 1_700_000_000_000 + i,
    slots: master ? [[i * per, i * per + per - 1]] : [],
    slotCount: master ? per : 0,
    migrating: [],
    importing: [],
    reachable: true,
    rttMs: 1,
    error: undefined,
    info: {
      redis_version: '7.0.15',
      server_name: 'redis',
      uptime_in_seconds: 100,
      used_memory: 1_000_000,
      used_memory_rss: 2_000_000,
      maxmemory: 0,
      maxmemory_policy: 'noeviction',
      instantaneous_ops_per_sec: 0,
      total_commands_processed: i,
      total_net_input_bytes: 0,
      total_net_output_bytes: 0,
      connected_clients: 1,
      blocked_clients: 0,
      keyspace_hits: 0,
      keyspace_misses: 0,
      evicted_keys: 0,
      expired_keys: 0,
      master_repl_offset: 0,
      connected_slaves: master ? 1 : 0,
      keys: 0,
    },
  };
}

export function syntheticSnapshot(count: number): ClusterSnapshot {
  const masters = Math.ceil(count / 2);
  return {
    clusterId: 'big',
    clusterName: 'big',
    collectedAt: new Date(1_700_000_000_000).toISOString(),
    pollDurationMs: 10,
    status: 'ok',
    state: { cluster_state: 'ok', cluster_known_nodes: count },
    referenceNodeId: syntheticNode(0, masters).id,
    nodes: Array.from({ length: count }, (_, i) => syntheticNode(i, masters)),
    unidentified: [],
    summary: { nodes: count, masters, replicas: count - masters, reachable: count, slotsCovered: 16384 },
  };
}
