import type { ClusterGlance } from '@/lib/overview/glance';
import type { DataNodeGlance } from '@/lib/sentinel/deploymentView';

/** What the wall view of a Sentinel deployment adds to a cluster's glance (GET …/snapshot?view=wall). */
export interface SentinelGlanceFields {
  kind: 'sentinel';
  sentinelsUp: number;
  sentinelsTotal: number;
  /** One route, to the sentinels' master; undefined when no HAProxy is configured. */
  haproxyOk?: boolean;
  /** The master, then its replicas. */
  nodes?: DataNodeGlance[];
}

export type SentinelGlance = ClusterGlance & SentinelGlanceFields;

/** The glance of a Sentinel deployment, or undefined for a cluster's. */
export function sentinelGlance(glance: ClusterGlance | undefined): SentinelGlance | undefined {
  return glance && 'kind' in glance && glance.kind === 'sentinel' ? (glance as SentinelGlance) : undefined;
}

/** HAProxy's state in a word for a card or a tile. */
export function haproxyGlanceWord(glance: SentinelGlance): { text: string; tone?: 'crit' } {
  if (glance.haproxyOk === undefined) return { text: 'none' };
  return glance.haproxyOk ? { text: 'OK' } : { text: 'WRONG', tone: 'crit' };
}
