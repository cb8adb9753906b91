import type { ClusterSnapshot, SnapshotNode } from '../cluster/types';
import type { Finding } from '../findings';

export type Labels = Record<string, string>;

/** Label values escaped as the text format wants: backslash, double quote and newline. */
function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** Series grouped by family (one HELP/TYPE each), whichever kind of deployment adds them. */
export class Exposition {
  private readonly families = new Map<string, { help: string; type: string; lines: string[] }>();

  add(name: string, type: 'gauge' | 'counter', help: string, labels: Labels, value: number | undefined | null) {
    if (value === undefined || value === null || !Number.isFinite(value)) return;
    let family = this.families.get(name);
    if (!family) {
      family = { help, type, lines: [] };
      this.families.set(name, family);
    }
    family.lines.push(`${name}${labelText(labels)} ${value}`);
  }

  toString(): string {
    return [...this.families]
      .map(([name, f]) => `# HELP ${name} ${f.help}\n# TYPE ${name} ${f.type}\n${f.lines.join('\n')}\n`)
      .join('');
  }
}

/**
 * Role, flags and version as an info-style series with the value 1, as redis_exporter's `redis_instance_info`: they
 * change at a failover, and a label that changes starts a new series, which would break rate() on every counter.
 */
function instanceInfo(out: Exposition, l: Labels, node: SnapshotNode) {
  out.add(
    'redis_instance_info',
    'gauge',
    'Role, CLUSTER NODES flags, master and version of this node; always 1 (join on node_id).',
    {
      ...l,
      role: node.role,
      flags: node.flags.join(','),
      master_id: node.masterId ?? '',
      redis_version: node.info?.redis_version ?? '',
      server_name: node.info?.server_name ?? '',
      redis_mode: 'cluster',
    },
    1,
  );
}

function nodeMetrics(out: Exposition, cluster: string, node: SnapshotNode, pingMs: number | undefined) {
  // Only what identifies the node: every counter and gauge keeps one series per node across failovers.
  const l = { cluster, addr: node.addr, node_id: node.id };
  instanceInfo(out, l, node);
  out.add(
    'redis_up',
    'gauge',
    "Whether the dashboard got this node's replies in the last poll.",
    l,
    node.reachable ? 1 : 0,
  );
  out.add(
    'redis_cluster_node_failed',
    'gauge',
    'The cluster flags this node FAIL (1) or PFAIL (0.5).',
    l,
    node.flags.includes('fail') ? 1 : node.flags.includes('fail?') ? 0.5 : 0,
  );
  out.add('redis_cluster_node_slots', 'gauge', 'Slots this node serves.', l, node.slotCount);
  out.add('redis_cluster_node_config_epoch', 'gauge', 'Config epoch of this node.', l, node.configEpoch);
  out.add(
    'redis_ping_latency_seconds',
    'gauge',
    'Mean PING round trip from the dashboard over the last minute.',
    l,
    pingMs === undefined ? undefined : pingMs / 1000,
  );
  const i = node.info;
  if (!i) return;
  out.add('redis_uptime_in_seconds', 'gauge', 'Seconds since the node started.', l, i.uptime_in_seconds);
  out.add('redis_memory_used_bytes', 'gauge', 'INFO used_memory.', l, i.used_memory);
  out.add('redis_memory_used_rss_bytes', 'gauge', 'INFO used_memory_rss.', l, i.used_memory_rss);
  out.add('redis_memory_max_bytes', 'gauge', 'INFO maxmemory (0 = no limit).', l, i.maxmemory);
  out.add('redis_commands_processed_total', 'counter', 'INFO total_commands_processed.', l, i.total_commands_processed);
  out.add(
    'redis_instantaneous_ops_per_sec',
    'gauge',
    'INFO instantaneous_ops_per_sec.',
    l,
    i.instantaneous_ops_per_sec,
  );
  out.add('redis_net_input_bytes_total', 'counter', 'INFO total_net_input_bytes.', l, i.total_net_input_bytes);
  out.add('redis_net_output_bytes_total', 'counter', 'INFO total_net_output_bytes.', l, i.total_net_output_bytes);
  out.add('redis_connected_clients', 'gauge', 'INFO connected_clients.', l, i.connected_clients);
  out.add('redis_blocked_clients', 'gauge', 'INFO blocked_clients.', l, i.blocked_clients);
  out.add('redis_keyspace_hits_total', 'counter', 'INFO keyspace_hits.', l, i.keyspace_hits);
  out.add('redis_keyspace_misses_total', 'counter', 'INFO keyspace_misses.', l, i.keyspace_misses);
  out.add('redis_evicted_keys_total', 'counter', 'INFO evicted_keys.', l, i.evicted_keys);
  out.add('redis_expired_keys_total', 'counter', 'INFO expired_keys.', l, i.expired_keys);
  out.add('redis_db_keys', 'gauge', 'Keys over every db of INFO keyspace.', { ...l, db: 'all' }, i.keys);
  out.add('redis_connected_slaves', 'gauge', 'INFO connected_slaves.', l, i.connected_slaves);
  out.add('redis_master_repl_offset', 'gauge', 'INFO master_repl_offset.', l, i.master_repl_offset);
  if (node.role === 'replica') {
    out.add('redis_slave_repl_offset', 'gauge', 'INFO slave_repl_offset (replicas).', l, i.slave_repl_offset);
    out.add(
      'redis_master_link_up',
      'gauge',
      'INFO master_link_status is up (replicas).',
      l,
      i.master_link_status === 'up' ? 1 : 0,
    );
  }
}

const STATE_FIELDS = [
  ['cluster_slots_assigned', 'redis_cluster_slots_assigned'],
  ['cluster_slots_ok', 'redis_cluster_slots_ok'],
  ['cluster_slots_pfail', 'redis_cluster_slots_pfail'],
  ['cluster_slots_fail', 'redis_cluster_slots_fail'],
  ['cluster_known_nodes', 'redis_cluster_known_nodes'],
  ['cluster_size', 'redis_cluster_size'],
  ['cluster_current_epoch', 'redis_cluster_current_epoch'],
] as const;

export interface ClusterMetricsInput {
  snapshot: ClusterSnapshot;
  findings: Finding[];
  /** nodeId -> mean PING ms over the last minute */
  pingMs: Map<string, number>;
}

/**
 * The Prometheus text exposition format, names after redis_exporter. Node series carry `cluster`, `addr` and
 * `node_id` only; role and flags are labels of `redis_instance_info` alone.
 */
export function prometheusText(
  clusters: ClusterMetricsInput[],
  /** Sentinel deployments' series (lib/metrics/sentinel.ts), in the same families. */
  more: (out: Exposition) => void = () => {},
): string {
  const out = new Exposition();
  for (const { snapshot, findings, pingMs } of clusters) {
    const cluster = snapshot.clusterId;
    out.add(
      'redis_cluster_state',
      'gauge',
      'cluster_state: 1 = ok, 0 = fail, -1 = unknown (no node answered).',
      { cluster },
      snapshot.status === 'ok' ? 1 : snapshot.status === 'fail' ? 0 : -1,
    );
    for (const [field, name] of STATE_FIELDS) {
      const v = snapshot.state[field];
      out.add(name, 'gauge', `CLUSTER INFO ${field}.`, { cluster }, typeof v === 'number' ? v : undefined);
    }
    out.add(
      'redis_cluster_nodes_reachable',
      'gauge',
      'Nodes that answered the last poll.',
      { cluster },
      snapshot.summary.reachable,
    );
    out.add(
      'redis_cluster_poll_duration_seconds',
      'gauge',
      'How long the last poll of every node took.',
      { cluster },
      snapshot.pollDurationMs / 1000,
    );
    for (const severity of ['critical', 'warning', 'info'] as const) {
      out.add(
        'redis_cluster_findings',
        'gauge',
        'Dashboard findings by severity.',
        { cluster, severity },
        findings.filter((f) => f.severity === severity).length,
      );
    }
    for (const node of snapshot.nodes) nodeMetrics(out, cluster, node, pingMs.get(node.id));
  }
  more(out);
  return out.toString();
}
