import type { Finding } from '../findings/types';

/**
 * The one health every screen leads with, computed from the worst finding (never from cluster_state alone: Redis says
 * "ok" while a master is PFAIL and its slots hang).
 * - down: some slots are not served (no owner, owner marked FAIL, or cluster_state fail on the majority);
 * - degraded: any other critical or warning finding;
 * - unknown: no node answers, or the data on screen is stale;
 * - ok: nothing worse than information.
 */
export type Health = 'ok' | 'degraded' | 'down' | 'unknown';

export interface ClusterHealth {
  health: Health;
  /** The health word and what is worst: "DEGRADED — 5,461 slots (33 %) on a master that does not answer". */
  headline: string;
  /** The finding the headline names (undefined for ok, or stale/no data). */
  worst?: Finding;
  critical: number;
  warning: number;
}

export const HEALTH_LABEL: Record<Health, string> = {
  ok: 'OK',
  degraded: 'DEGRADED',
  down: 'DOWN',
  unknown: 'UNKNOWN',
};

/** Findings that mean some keys cannot be read or written right now. */
function servesNothing(finding: Finding): boolean {
  if (finding.code === 'cluster_state_fail' || finding.code === 'slots_uncovered') return true;
  return finding.code === 'slots_unserved' && finding.severity === 'critical';
}

/** Lower is worse: what stops service first, then critical, then warning; more slots before fewer. */
function rank(finding: Finding): number {
  const base = servesNothing(finding)
    ? 0
    : finding.code === 'no_node_reachable'
      ? 0
      : finding.severity === 'critical'
        ? 2
        : finding.severity === 'warning'
          ? 4
          : 6;
  return base + (finding.slots?.length ? 0 : 1);
}

/** The headline phrase of a finding: its own short form, else its message's first sentence. */
export function findingHeadline(finding: Finding): string {
  if (finding.headline) return finding.headline;
  const first = finding.message.split(/(?<=[.;:])\s/)[0] ?? finding.message;
  return first.replace(/[.;:]$/, '');
}

/** The findings in headline order, worst first. */
export function worstFirst(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => rank(a) - rank(b) || (b.slots?.length ?? 0) - (a.slots?.length ?? 0));
}

export function clusterHealth(
  findings: readonly Finding[] | undefined,
  options: { stale?: boolean; staleSince?: string } = {},
): ClusterHealth {
  const critical = findings?.filter((f) => f.severity === 'critical').length ?? 0;
  const warning = findings?.filter((f) => f.severity === 'warning').length ?? 0;
  if (!findings) return { health: 'unknown', headline: 'UNKNOWN — no data yet', critical, warning };
  const worst = worstFirst(findings)[0];
  const fresh = freshHealth(worst, critical, warning);
  return options.stale ? staleHealth(fresh, fresh.worst && findingHeadline(fresh.worst), options.staleSince) : fresh;
}

function freshHealth(worst: Finding | undefined, critical: number, warning: number): ClusterHealth {
  if (!worst || worst.severity === 'info')
    return { health: 'ok', headline: 'OK — every slot served, nothing needs attention', critical, warning };
  const health: Health = worst.code === 'no_node_reachable' ? 'unknown' : servesNothing(worst) ? 'down' : 'degraded';
  const more = critical + warning - 1;
  return {
    health,
    headline: `${HEALTH_LABEL[health]} — ${findingHeadline(worst)}${more > 0 ? ` (+${more} more finding${more === 1 ? '' : 's'})` : ''}`,
    worst,
    critical,
    warning,
  };
}

/**
 * The health once the data on screen stops updating, from the last fresh one and its worst finding's headline (absent
 * when it was OK). The last known state stays readable (a wall that forgets it was DEGRADED hides the incident), never
 * its colour.
 */
export function staleHealth(
  fresh: Pick<ClusterHealth, 'health' | 'critical' | 'warning'>,
  worstHeadline: string | undefined,
  staleSince?: string,
): ClusterHealth {
  const last = worstHeadline === undefined ? 'OK' : HEALTH_LABEL[fresh.health === 'down' ? 'down' : 'degraded'];
  return {
    health: 'unknown',
    headline: `UNKNOWN — no fresh data${staleSince ? ` since ${staleSince}` : ''}; last seen ${last}${worstHeadline === undefined ? '' : `: ${worstHeadline}`}`,
    critical: fresh.critical,
    warning: fresh.warning,
  };
}
