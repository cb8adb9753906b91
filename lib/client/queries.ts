import { queryOptions } from '@tanstack/react-query';
import type { ClusterSummary, NodeDetail, SlowlogResponse, SnapshotResponse } from '../api/types';
import { apiGet } from './api';

/** How often the overview asks the server for the cached snapshot (the server polls Redis on its own clock). */
export const SNAPSHOT_REFETCH_MS = 1000;

export const queryKeys = {
  clusters: () => ['clusters'] as const,
  snapshot: (clusterId: string) => ['cluster', clusterId, 'snapshot'] as const,
  node: (clusterId: string, nodeId: string) => ['cluster', clusterId, 'node', nodeId] as const,
  slowlog: (clusterId: string, nodeId: string) => ['cluster', clusterId, 'node', nodeId, 'slowlog'] as const,
};

/** The slow log is fetched from the node on demand, so it is refreshed less often than the snapshot. */
export const SLOWLOG_REFETCH_MS = 10_000;

const nodePath = (clusterId: string, nodeId: string) =>
  `/api/clusters/${encodeURIComponent(clusterId)}/nodes/${encodeURIComponent(nodeId)}`;

export const nodeDetailQuery = (clusterId: string, nodeId: string) =>
  queryOptions({
    queryKey: queryKeys.node(clusterId, nodeId),
    queryFn: ({ signal }) => apiGet<NodeDetail>(nodePath(clusterId, nodeId), signal),
    refetchInterval: SNAPSHOT_REFETCH_MS,
    retry: false,
  });

export const slowlogQuery = (clusterId: string, nodeId: string) =>
  queryOptions({
    queryKey: queryKeys.slowlog(clusterId, nodeId),
    queryFn: ({ signal }) => apiGet<SlowlogResponse>(`${nodePath(clusterId, nodeId)}/slowlog`, signal),
    refetchInterval: SLOWLOG_REFETCH_MS,
    retry: false,
  });

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
