import type { ClusterSnapshot } from '../cluster/types';
import { formatBytes, formatCount } from '../format';
import { nodeName } from './describe';
import type { Finding, FindingOptions } from './types';

const SAME_EVERYWHERE = ['cluster-node-timeout', 'cluster-require-full-coverage'];

const formatRate = (perSec: number) => (perSec >= 10 ? formatCount(Math.round(perSec)) : perSec.toFixed(1));

export function resourceFindings(snapshot: ClusterSnapshot, options: FindingOptions): Finding[] {
  const findings: Finding[] = [];
  const unlimited = [];
  for (const node of snapshot.nodes) {
    const info = node.info;
    if (!info) continue;
    if (info.maxmemory > 0 && info.used_memory / info.maxmemory > options.memoryHighRatio) {
      findings.push({
        code: 'memory_high',
        severity: info.used_memory >= info.maxmemory ? 'critical' : 'warning',
        nodeIds: [node.id],
        message: `${nodeName(node)} uses ${formatBytes(info.used_memory)} of ${formatBytes(info.maxmemory)} maxmemory (${Math.round((info.used_memory / info.maxmemory) * 100)} %).`,
        action: `Add memory or shards, or reshard slots away; with maxmemory-policy ${info.maxmemory_policy || '?'} the node ${info.maxmemory_policy === 'noeviction' ? 'will refuse writes' : 'will evict keys'} when full.`,
      });
    }
    if (info.maxmemory === 0 && node.role === 'master') unlimited.push(node);
    // A rate between two polls: the lifetime counter would keep the finding up forever after one eviction.
    if (node.evictedPerSec !== undefined && node.evictedPerSec > 0) {
      findings.push({
        code: 'evictions',
        severity: 'warning',
        nodeIds: [node.id],
        message: `${nodeName(node)} is evicting keys now: ${formatRate(node.evictedPerSec)} keys/s (maxmemory reached; ${formatCount(info.evicted_keys)} since it started).`,
        action: 'If these keys are not a cache, raise maxmemory or add shards; check the memory trend.',
      });
    }
  }
  if (unlimited.length) {
    findings.push({
      code: 'maxmemory_unset',
      severity: 'info',
      nodeIds: unlimited.map((n) => n.id),
      message: `${unlimited.length === 1 ? 'Master' : `${unlimited.length} masters`} ${unlimited.map(nodeName).join(', ')} run without maxmemory: memory can grow until the host runs out.`,
      action:
        'Set maxmemory (and a maxmemory-policy) on every node, below the host memory minus the fork copy-on-write headroom.',
    });
  }
  for (const name of SAME_EVERYWHERE) {
    const values = new Map<string, string[]>();
    for (const node of snapshot.nodes) {
      const value = node.clusterConfig?.[name];
      if (value !== undefined) values.set(value, [...(values.get(value) ?? []), node.id]);
    }
    if (values.size <= 1) continue;
    const detail = [...values].map(([v, ids]) => `${v} on ${ids.length}`).join(', ');
    findings.push({
      code: 'config_mismatch',
      severity: 'warning',
      nodeIds: [...values.values()].sort((a, b) => a.length - b.length)[0] ?? [],
      message: `${name} differs between nodes (${detail}).`,
      action: `Set the same ${name} everywhere (CONFIG SET on each node, then CONFIG REWRITE).`,
    });
  }
  return findings;
}
