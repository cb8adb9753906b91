import type { ClusterGlance } from '@/lib/overview/glance';
import type { SentinelWallSnapshot } from '@/lib/sentinel/wall';

/** What the wall view of a Sentinel deployment adds to a cluster's glance (GET …/snapshot?view=wall). */
export type SentinelGlance = ClusterGlance &
  Pick<SentinelWallSnapshot, 'kind' | 'sentinelsUp' | 'sentinelsTotal' | 'haproxyOk' | 'nodes'>;

/** The glance of a Sentinel deployment (the wall route's form for kind "sentinel"), not a cluster's. */
export function isSentinelGlance(glance: ClusterGlance | undefined): glance is SentinelGlance {
  return glance !== undefined && 'kind' in glance && glance.kind === 'sentinel';
}

/** HAProxy's state in a word for a card or a tile: OK = one route, to the sentinels' master. */
export function haproxyGlanceWord(glance: SentinelGlance): { text: string; tone?: 'crit' } {
  if (glance.haproxyOk === undefined) return { text: 'none' };
  return glance.haproxyOk ? { text: 'OK' } : { text: 'NOT OK', tone: 'crit' };
}
