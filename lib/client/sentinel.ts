import { queryOptions } from '@tanstack/react-query';
import type { Finding } from '../findings/types';
import type { SentinelSnapshot } from '../sentinel/types';
import { apiGet } from './api';
import { SNAPSHOT_REFETCH_MS } from './queries';

/** GET /api/clusters/{id}/snapshot for a Sentinel deployment: the poll, how old it is, how often it is refreshed. */
export type SentinelSnapshotResponse = SentinelSnapshot & { ageMs: number; pollIntervalMs: number };

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

/**
 * The deployment's findings as the server's /findings rules give them (the same cache the snapshot comes from),
 * refreshed with the snapshot.
 */
export const sentinelFindingsQuery = (deploymentId: string, refetchMs: number) =>
  queryOptions({
    queryKey: ['cluster', deploymentId, 'sentinel-findings'] as const,
    queryFn: ({ signal }) => apiGet<Finding[]>(`/api/clusters/${encodeURIComponent(deploymentId)}/findings`, signal),
    refetchInterval: refetchMs,
    refetchIntervalInBackground: true,
    retry: false,
  });
