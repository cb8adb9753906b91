import type { Finding } from '../findings/types';
import { sentinelFindings } from './findings';
import type { SentinelSnapshot } from './types';

const SEVERITY_RANK: Record<Finding['severity'], number> = { critical: 0, warning: 1, info: 2 };

/**
 * Within a severity, a fixed order of codes (what stops writes first, then split brain, then the rest), so the list
 * and the headline do not reorder poll to poll when the same findings come back in another order. A code not listed
 * (added later) comes after the listed ones of its severity, by code.
 */
const CODE_ORDER: readonly string[] = [
  'sentinel_none_reachable',
  'sentinel_no_master',
  'sentinel_master_down',
  'sentinel_failover_in_progress',
  'haproxy_not_answering',
  'haproxy_routes_none',
  'sentinel_master_disagreement',
  'sentinel_second_master',
  'haproxy_routes_two',
  'haproxy_wrong_master',
  'sentinel_master_is_replica',
  'sentinel_quorum',
  'sentinel_master_suspected',
  'sentinel_master_unreachable',
  'haproxy_stats_unreadable',
  'haproxy_routes_replica',
  'haproxy_servers_unmatched',
  'haproxy_backup_may_route',
  'sentinel_cut_off',
  'sentinel_few',
  'sentinel_one_host',
  'sentinel_not_monitoring',
  'sentinel_replica_down',
  'sentinel_replica_link_down',
  'sentinel_replica_lagging',
  'sentinel_replica_unknown',
  'sentinel_no_min_replicas',
  'sentinel_min_replicas_unchecked',
  'sentinel_node_outside_networks',
  'sentinel_quorum_unchecked',
  'sentinel_replica_unreachable',
];

function codeRank(code: string): number {
  const i = CODE_ORDER.indexOf(code);
  return i === -1 ? CODE_ORDER.length : i;
}

/** Worst first: critical, warning, info; ties by the fixed code order, then code, then the nodes named. */
export function sortSentinelFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      codeRank(a.code) - codeRank(b.code) ||
      a.code.localeCompare(b.code) ||
      a.nodeIds.join(',').localeCompare(b.nodeIds.join(',')),
  );
}

/** The findings the API (/findings, the wall, metrics) and the page list: sentinelFindings, worst first. */
export function orderedSentinelFindings(snapshot: SentinelSnapshot): Finding[] {
  return sortSentinelFindings(sentinelFindings(snapshot));
}
