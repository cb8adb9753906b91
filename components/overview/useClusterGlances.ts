'use client';

import { useQueries } from '@tanstack/react-query';
import type { ClusterSummary, SnapshotResponse } from '@/lib/api/types';
import { snapshotQuery } from '@/lib/client/queries';
import { type Freshness, freshness } from '@/lib/cluster/freshness';
import { evaluateFindings, type Finding } from '@/lib/findings';
import { formatClock } from '@/lib/format';
import { type ClusterGlance, clusterGlance } from '@/lib/overview/glance';
import { useNow } from '../cluster/useNow';

export interface ClusterView {
  cluster: ClusterSummary;
  /** The last snapshot received (kept while stale, drawn grey). */
  snapshot?: SnapshotResponse;
  glance?: ClusterGlance;
  freshness?: Freshness;
  /** Client-clock time the data on screen was collected. */
  since?: Date;
  error?: string;
}

// Findings once per snapshot object, not on every tick of the clock; a WeakMap keeps memory flat over days.
const findingsOf = new WeakMap<SnapshotResponse, Finding[]>();
function findings(snapshot: SnapshotResponse): Finding[] {
  let found = findingsOf.get(snapshot);
  if (!found) {
    found = evaluateFindings(snapshot);
    findingsOf.set(snapshot, found);
  }
  return found;
}

/**
 * One snapshot query per configured cluster (fine for a handful; each reads the server's cached poll) and what the
 * overview and the wall show of each. The queries keep polling after errors, so a screen reconnects on its own.
 */
export function useClusterGlances(clusters: readonly ClusterSummary[]): { views: ClusterView[]; now: number } {
  const queries = useQueries({ queries: clusters.map((c) => snapshotQuery(c.id)) });
  const now = useNow();
  const views = clusters.map((cluster, i): ClusterView => {
    const query = queries[i];
    const snapshot = query?.data;
    const error = query?.error?.message;
    if (!snapshot) return { cluster, error };
    const fresh = freshness({
      ageAtReceiptMs: snapshot.ageMs,
      receivedAt: query.dataUpdatedAt,
      now,
      pollIntervalMs: snapshot.pollIntervalMs,
    });
    const stale = fresh.state === 'stale';
    return {
      cluster,
      snapshot,
      glance: clusterGlance(snapshot, findings(snapshot), {
        stale,
        staleSince: stale ? formatClock(fresh.since) : undefined,
      }),
      freshness: fresh.state,
      since: fresh.since,
      error,
    };
  });
  return { views, now };
}
