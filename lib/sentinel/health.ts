import type { Finding } from '../findings/types';
import {
  type ClusterHealth,
  findingHeadline,
  HEALTH_LABEL,
  type Health,
  staleHealth,
  worstFirst,
} from '../health/clusterHealth';
import { sortSentinelFindings } from './findingsOrder';

/**
 * Findings that mean clients cannot write at all right now, or that writes they are told succeeded are being lost (two
 * masters taking writes, clients sent to a node that is not the sentinels' master): red on a wall, never the amber of a
 * missing min-replicas-to-write.
 */
const DOWN_CODES = new Set([
  'sentinel_master_down',
  'sentinel_no_master',
  'haproxy_routes_none',
  'haproxy_not_answering',
  'sentinel_master_disagreement',
  'sentinel_second_master',
  'haproxy_routes_two',
  'haproxy_wrong_master',
]);

/**
 * A Sentinel deployment's health, as clusterHealth is a cluster's: from the worst finding. down: no master serves
 * writes (o_down, none named, HAProxy routes nowhere or stopped) or acknowledged writes are being lost (split brain);
 * unknown: no sentinel answers, or the data is stale.
 */
export function sentinelHealth(
  findings: readonly Finding[] | undefined,
  options: { stale?: boolean; staleSince?: string } = {},
): ClusterHealth {
  const critical = findings?.filter((f) => f.severity === 'critical').length ?? 0;
  const warning = findings?.filter((f) => f.severity === 'warning').length ?? 0;
  if (!findings) return { health: 'unknown', headline: 'UNKNOWN — no data yet', critical, warning };
  // The fixed code order first: the same findings in another order give the same headline (no flapping).
  const ordered = [...worstFirst(sortSentinelFindings(findings))].sort((a, b) => rank(a) - rank(b));
  const worst = ordered[0];
  let fresh: ClusterHealth;
  if (!worst || worst.severity === 'info') {
    fresh = { health: 'ok', headline: 'OK — master, replicas, sentinels and proxy agree', critical, warning };
  } else {
    const health: Health =
      worst.code === 'sentinel_none_reachable' ? 'unknown' : DOWN_CODES.has(worst.code) ? 'down' : 'degraded';
    const more = critical + warning - 1;
    fresh = {
      health,
      headline: `${HEALTH_LABEL[health]} — ${findingHeadline(worst)}${more > 0 ? ` (+${more} more finding${more === 1 ? '' : 's'})` : ''}`,
      worst,
      critical,
      warning,
    };
  }
  return options.stale ? staleHealth(fresh, fresh.worst && findingHeadline(fresh.worst), options.staleSince) : fresh;
}

/** Lower is worse: no sentinel at all, then what stops writes, then critical, then warning. */
function rank(f: Finding): number {
  if (f.code === 'sentinel_none_reachable') return 0;
  if (DOWN_CODES.has(f.code)) return 1;
  return f.severity === 'critical' ? 2 : f.severity === 'warning' ? 3 : 4;
}
