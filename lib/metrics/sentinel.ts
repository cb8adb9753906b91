import type { Finding } from '../findings/types';
import type { SentinelDataNode, SentinelSnapshot } from '../sentinel/types';
import type { Exposition, Labels } from './prometheus';

export interface SentinelMetricsInput {
  snapshot: SentinelSnapshot;
  findings: Finding[];
}

/**
 * A data node's series: the same names as a cluster node's, labelled cluster, addr, node_id (= addr: a Sentinel
 * deployment's nodes have no cluster node id) and kind="sentinel". Role and flags only in redis_instance_info.
 */
function dataNodeMetrics(out: Exposition, cluster: string, node: SentinelDataNode) {
  const l: Labels = { cluster, addr: node.addr, node_id: node.addr, kind: 'sentinel' };
  out.add(
    'redis_instance_info',
    'gauge',
    'Role, CLUSTER NODES flags, master and version of this node; always 1 (join on node_id).',
    {
      ...l,
      role: node.role ?? 'unknown',
      flags: node.sentinelFlags.join(','),
      master_id: node.masterAddr ?? '',
      redis_version: node.version ?? '',
      server_name: '',
      redis_mode: 'sentinel',
    },
    1,
  );
  out.add(
    'redis_up',
    'gauge',
    "Whether the dashboard got this node's replies in the last poll.",
    l,
    node.reachable ? 1 : 0,
  );
  if (!node.reachable) return;
  out.add('redis_uptime_in_seconds', 'gauge', 'Seconds since the node started.', l, node.uptimeSeconds);
  out.add('redis_memory_used_bytes', 'gauge', 'INFO used_memory.', l, node.usedMemory);
  out.add('redis_memory_max_bytes', 'gauge', 'INFO maxmemory (0 = no limit).', l, node.maxMemory);
  out.add('redis_instantaneous_ops_per_sec', 'gauge', 'INFO instantaneous_ops_per_sec.', l, node.opsPerSec);
  out.add('redis_connected_clients', 'gauge', 'INFO connected_clients.', l, node.connectedClients);
  out.add('redis_db_keys', 'gauge', 'Keys over every db of INFO keyspace.', { ...l, db: 'all' }, node.keys);
  out.add('redis_connected_slaves', 'gauge', 'INFO connected_slaves.', l, node.connectedReplicas);
  if (node.role === 'master') out.add('redis_master_repl_offset', 'gauge', 'INFO master_repl_offset.', l, node.offset);
  if (node.role === 'replica') {
    out.add('redis_slave_repl_offset', 'gauge', 'INFO slave_repl_offset (replicas).', l, node.offset);
    out.add('redis_master_link_up', 'gauge', 'INFO master_link_status is up (replicas).', l, node.linkUp ? 1 : 0);
  }
  out.add(
    'redis_replica_lag_bytes',
    'gauge',
    "The master's offset minus this replica's, from the master's INFO (Sentinel deployments).",
    l,
    node.lagBytes,
  );
}

/** A Sentinel deployment's series, added to the families the clusters use (prometheusText's `more`). */
export function sentinelMetrics(out: Exposition, deployments: readonly SentinelMetricsInput[]): void {
  for (const { snapshot, findings } of deployments) {
    const cluster = snapshot.clusterId;
    const d: Labels = { cluster, kind: 'sentinel' };
    for (const severity of ['critical', 'warning', 'info'] as const) {
      out.add(
        'redis_cluster_findings',
        'gauge',
        'Dashboard findings by severity.',
        { ...d, severity },
        findings.filter((f) => f.severity === severity).length,
      );
    }
    out.add(
      'redis_cluster_poll_duration_seconds',
      'gauge',
      'How long the last poll of every node took.',
      d,
      snapshot.durationMs / 1000,
    );
    out.add(
      'redis_sentinel_quorum_ok',
      'gauge',
      'The sentinels can authorise a failover: no quorum finding (SENTINEL CKQUORUM passes, enough of them answer).',
      d,
      findings.some((f) => f.code === 'sentinel_quorum' || f.code === 'sentinel_none_reachable') ? 0 : 1,
    );
    out.add(
      'redis_sentinel_masters_named',
      'gauge',
      'Distinct masters the reachable sentinels name (1 = they agree).',
      d,
      snapshot.agreement.addrs.length,
    );
    for (const s of snapshot.sentinels) {
      const l: Labels = { cluster, addr: s.addr, kind: 'sentinel' };
      out.add('redis_sentinel_up', 'gauge', 'Whether this sentinel answered the last poll.', l, s.reachable ? 1 : 0);
      if (!s.reachable) continue;
      out.add(
        'redis_sentinel_agrees',
        'gauge',
        'This sentinel names the master most sentinels name (GET-MASTER-ADDR-BY-NAME).',
        l,
        snapshot.master && s.masterAddr === snapshot.master.addr ? 1 : 0,
      );
      out.add(
        'redis_sentinel_ckquorum_ok',
        'gauge',
        'SENTINEL CKQUORUM passes on this sentinel.',
        l,
        s.ckquorum?.ok ? 1 : 0,
      );
    }
    const nodes = [...(snapshot.master ? [snapshot.master] : []), ...snapshot.replicas];
    for (const node of nodes) dataNodeMetrics(out, cluster, node);
    const haproxy = snapshot.haproxy;
    if (haproxy) {
      out.add(
        'redis_haproxy_stats_up',
        'gauge',
        "HAProxy's stats were read in the last poll.",
        d,
        haproxy.reachable ? 1 : 0,
      );
      for (const s of haproxy.servers) {
        const l: Labels = { cluster, kind: 'sentinel', backend: haproxy.backend, server: s.name, addr: s.addr ?? '' };
        out.add(
          'redis_haproxy_server_routed',
          'gauge',
          'HAProxy sends clients to this server (UP, not a backup).',
          l,
          s.routed ? 1 : 0,
        );
        out.add(
          'redis_haproxy_server_is_master',
          'gauge',
          "This HAProxy server is the sentinels' master.",
          l,
          snapshot.master && s.nodeAddr === snapshot.master.addr ? 1 : 0,
        );
      }
    }
  }
}
