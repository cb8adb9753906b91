import { queryOptions } from '@tanstack/react-query';
import type { SentinelSnapshotResponse } from '../api/types';
import { apiGet } from './api';
import { SNAPSHOT_REFETCH_MS } from './queries';

/**
 * The deployment's snapshot, polled at the deployment's own poll interval (the route answers from the server's cache,
 * so this never makes the server poll Redis); it keeps polling after errors and in background tabs, like the wall.
 */
export const sentinelSnapshotQuery = (deploymentId: string) =>
  queryOptions({
    queryKey: ['cluster', deploymentId, 'sentinel-snapshot'] as const,
    queryFn: ({ signal }) =>
      apiGet<SentinelSnapshotResponse>(`/api/clusters/${encodeURIComponent(deploymentId)}/snapshot`, signal),
    refetchInterval: (query) => query.state.data?.pollIntervalMs ?? SNAPSHOT_REFETCH_MS,
    refetchIntervalInBackground: true,
    retry: false,
  });
