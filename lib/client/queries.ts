import { queryOptions } from '@tanstack/react-query';
import type { ClusterSummary, SnapshotResponse } from '../api/types';
import { apiGet } from './api';

/** How often the overview asks the server for the cached snapshot (the server polls Redis on its own clock). */
export const SNAPSHOT_REFETCH_MS = 1000;

export const queryKeys = {
  clusters: () => ['clusters'] as const,
  snapshot: (clusterId: string) => ['cluster', clusterId, 'snapshot'] as const,
};

export const clustersQuery = () =>
  queryOptions({
    queryKey: queryKeys.clusters(),
    queryFn: ({ signal }) => apiGet<ClusterSummary[]>('/api/clusters', signal),
  });

export const snapshotQuery = (clusterId: string) =>
  queryOptions({
    queryKey: queryKeys.snapshot(clusterId),
    queryFn: ({ signal }) =>
      apiGet<SnapshotResponse>(`/api/clusters/${encodeURIComponent(clusterId)}/snapshot`, signal),
    refetchInterval: SNAPSHOT_REFETCH_MS,
    // Keep polling on a wall screen even when the tab is not focused.
    refetchIntervalInBackground: true,
    retry: false,
  });
