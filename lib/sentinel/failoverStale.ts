import type { Freshness } from '../cluster/freshness';

/** How fresh the page's snapshot is, as the page computes it (lib/cluster/freshness.ts). */
export interface PanelFreshness {
  state: Freshness;
  ageMs: number;
}

/**
 * Why the guided failover must not start from what the page shows: its data is stale (pre-checks passed on old data
 * say nothing of now). Undefined when fresh or lagging, or when the page did not say.
 */
export function staleFailoverReason(freshness: PanelFreshness | undefined): string | undefined {
  if (freshness?.state !== 'stale') return undefined;
  return `the data is ${Math.round(freshness.ageMs / 1000)} s old; wait for a fresh poll`;
}
