'use client';

import { useQueries } from '@tanstack/react-query';
import type { ClusterSummary } from '@/lib/api/types';
import { wallSnapshotQuery } from '@/lib/client/queries';
import { type Freshness, freshness } from '@/lib/cluster/freshness';
import { formatClock } from '@/lib/format';
import { type ClusterGlance, staleGlance } from '@/lib/overview/glance';
import { useNow } from '../cluster/useNow';

export interface ClusterView {
  cluster: ClusterSummary;
  /** The last glance received (kept while stale, drawn grey). */
  glance?: ClusterGlance;
  freshness?: Freshness;
  /** Client-clock time the data on screen was collected. */
  since?: Date;
  error?: string;
}

/**
 * One wall-view query per configured cluster (fine for a handful; each reads the server's cached poll) and what the
 * overview and the wall show of each. The queries keep polling after errors, so a screen reconnects on its own.
 */
export function useClusterGlances(clusters: readonly ClusterSummary[]): { views: ClusterView[]; now: number } {
  const queries = useQueries({ queries: clusters.map((c) => wallSnapshotQuery(c.id)) });
  const now = useNow();
  const views = clusters.map((cluster, i): ClusterView => {
    const query = queries[i];
    const wall = query?.data;
    const error = query?.error?.message;
    if (!wall) return { cluster, error };
    const fresh = freshness({
      ageAtReceiptMs: wall.ageMs,
      receivedAt: query.dataUpdatedAt,
      now,
      pollIntervalMs: wall.pollIntervalMs,
    });
    return {
      cluster,
      glance: fresh.state === 'stale' ? staleGlance(wall, formatClock(fresh.since)) : wall,
      freshness: fresh.state,
      since: fresh.since,
      error,
    };
  });
  return { views, now };
}
