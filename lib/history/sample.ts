import type { SnapshotNode } from '../cluster/types';
import type { Sample } from './types';

/** The monotonic counters a rate is computed from, with the node's uptime to spot a restart. */
export interface Counters {
  at: number;
  uptime: number;
  commands: number;
  netIn: number;
  netOut: number;
  hits: number;
  misses: number;
  evicted: number;
  expired: number;
}

export function countersOf(node: SnapshotNode, at: number): Counters | undefined {
  const i = node.info;
  if (!i) return undefined;
  return {
    at,
    uptime: i.uptime_in_seconds,
    commands: i.total_commands_processed,
    netIn: i.total_net_input_bytes,
    netOut: i.total_net_output_bytes,
    hits: i.keyspace_hits,
    misses: i.keyspace_misses,
    evicted: i.evicted_keys,
    expired: i.expired_keys,
  };
}

/** True when the node restarted (or its stats were reset) between the two readings: rates are then unknown. */
function reset(prev: Counters, next: Counters): boolean {
  return next.uptime < prev.uptime || next.commands < prev.commands || next.at <= prev.at;
}

/** Per-second rate of one counter; null on a restart or a counter going backwards, never negative or a spike. */
export function rate(
  prev: Counters | undefined,
  next: Counters,
  field: Exclude<keyof Counters, 'at' | 'uptime'>,
): number | null {
  if (!prev || reset(prev, next)) return null;
  const delta = next[field] - prev[field];
  if (delta < 0) return null;
  return delta / ((next.at - prev.at) / 1000);
}

/** One history sample of a node from this poll and the counters of the previous one. */
export function sampleOf(
  node: SnapshotNode,
  prev: Counters | undefined,
  next: Counters | undefined,
  masterOffset: number | undefined,
  pingMs: number | null,
): Sample {
  const i = node.info;
  const r = (field: Exclude<keyof Counters, 'at' | 'uptime'>) => (next ? rate(prev, next, field) : null);
  const hits = r('hits');
  const misses = r('misses');
  const lookups = hits !== null && misses !== null ? hits + misses : null;
  return {
    used_memory: i?.used_memory ?? null,
    used_memory_rss: i?.used_memory_rss ?? null,
    maxmemory: i?.maxmemory ?? null,
    keys: i?.keys ?? null,
    ops_per_sec: r('commands'),
    net_in_bytes_per_sec: r('netIn'),
    net_out_bytes_per_sec: r('netOut'),
    connected_clients: i?.connected_clients ?? null,
    blocked_clients: i?.blocked_clients ?? null,
    hit_ratio: lookups ? (hits ?? 0) / lookups : null,
    evicted_per_sec: r('evicted'),
    expired_per_sec: r('expired'),
    repl_lag_bytes:
      node.role === 'replica' && masterOffset !== undefined && i?.slave_repl_offset !== undefined
        ? Math.max(0, masterOffset - i.slave_repl_offset)
        : null,
    ping_ms: pingMs,
  };
}

/** min / avg / p99 / max of latency samples (ms), as redis-cli --latency reports them. */
export function latencySummary(samples: readonly number[]) {
  if (samples.length === 0) return { samples: 0, minMs: null, avgMs: null, p99Ms: null, maxMs: null };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? null;
  return {
    samples: sorted.length,
    minMs: sorted[0] ?? null,
    avgMs: sorted.reduce((s, v) => s + v, 0) / sorted.length,
    p99Ms: at(0.99),
    maxMs: sorted[sorted.length - 1] ?? null,
  };
}
