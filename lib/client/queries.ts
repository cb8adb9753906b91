import { queryOptions } from '@tanstack/react-query';
import { ON_DEMAND_REFRESH_MS } from '../api/onDemand';
import type {
  ClusterLinksResponse,
  ClusterSlowlogResponse,
  ClusterSummary,
  KeySlotResponse,
  NodeDetail,
  SlotDetail,
  SlowlogResponse,
  SnapshotResponse,
} from '../api/types';
import type { FailoverMode, FailoverPlan } from '../failover/prechecks';
import type { HistoryResponse, HistoryWindow, LatencyResponse } from '../history/types';
import type { FailoverJob, Job } from '../jobs/types';
import type { WallSnapshot } from '../overview/wallSnapshot';
import type { TimelineEvent } from '../timeline/diff';
import { apiGet } from './api';

/** How often the overview asks the server for the cached snapshot (the server polls Redis on its own clock). */
export const SNAPSHOT_REFETCH_MS = 1000;

export const queryKeys = {
  clusters: () => ['clusters'] as const,
  snapshot: (clusterId: string) => ['cluster', clusterId, 'snapshot'] as const,
  wall: (clusterId: string) => ['cluster', clusterId, 'wall'] as const,
  node: (clusterId: string, nodeId: string) => ['cluster', clusterId, 'node', nodeId] as const,
  slowlog: (clusterId: string, nodeId: string) => ['cluster', clusterId, 'node', nodeId, 'slowlog'] as const,
  links: (clusterId: string, nodeId: string) => ['cluster', clusterId, 'node', nodeId, 'links'] as const,
  timeline: (clusterId: string) => ['cluster', clusterId, 'timeline'] as const,
  keyslot: (clusterId: string, key: string) => ['cluster', clusterId, 'keyslot', key] as const,
  slot: (clusterId: string, slot: number) => ['cluster', clusterId, 'slot', slot] as const,
  history: (clusterId: string, window: HistoryWindow) => ['cluster', clusterId, 'history', window] as const,
  latency: (clusterId: string, window: HistoryWindow) => ['cluster', clusterId, 'latency', window] as const,
  clusterSlowlog: (clusterId: string) => ['cluster', clusterId, 'slowlog'] as const,
  jobs: (clusterId: string) => ['cluster', clusterId, 'jobs'] as const,
  job: (jobId: string) => ['job', jobId] as const,
  failoverPlan: (clusterId: string, target: string, mode: string) =>
    ['cluster', clusterId, 'failover-plan', target, mode] as const,
};

export const failoverPlanQuery = (
  clusterId: string,
  target: { replicaId?: string; masterId?: string },
  mode?: FailoverMode,
) => {
  const q = new URLSearchParams({
    ...(target.replicaId ? { replicaId: target.replicaId } : {}),
    ...(target.masterId ? { masterId: target.masterId } : {}),
    ...(mode ? { mode } : {}),
  });
  return queryOptions({
    queryKey: queryKeys.failoverPlan(clusterId, target.replicaId ?? `master:${target.masterId}`, mode ?? 'recommended'),
    queryFn: ({ signal }) => apiGet<FailoverPlan>(`${clusterPath(clusterId)}/failover/plan?${q}`, signal),
    refetchInterval: 2000,
    retry: false,
  });
};

export const jobQuery = (jobId: string) =>
  queryOptions({
    queryKey: queryKeys.job(jobId),
    queryFn: ({ signal }) => apiGet<FailoverJob>(`/api/jobs/${encodeURIComponent(jobId)}`, signal),
    refetchInterval: (query) => (query.state.data?.state === 'running' || !query.state.data ? 250 : false),
    retry: false,
  });

/** Charts refresh this often (the server samples every poll; the answer is downsampled to 300 points). */
export const HISTORY_REFETCH_MS = 2000;

export const historyQuery = (clusterId: string, window: HistoryWindow) =>
  queryOptions({
    queryKey: queryKeys.history(clusterId, window),
    queryFn: ({ signal }) => apiGet<HistoryResponse>(`${clusterPath(clusterId)}/history?window=${window}`, signal),
    refetchInterval: HISTORY_REFETCH_MS,
    retry: false,
  });

export const latencyQuery = (clusterId: string, window: HistoryWindow) =>
  queryOptions({
    queryKey: queryKeys.latency(clusterId, window),
    queryFn: ({ signal }) => apiGet<LatencyResponse>(`${clusterPath(clusterId)}/latency?window=${window}`, signal),
    refetchInterval: HISTORY_REFETCH_MS,
    retry: false,
  });

export const clusterSlowlogQuery = (clusterId: string) =>
  queryOptions({
    queryKey: queryKeys.clusterSlowlog(clusterId),
    queryFn: ({ signal }) => apiGet<ClusterSlowlogResponse>(`${clusterPath(clusterId)}/slowlog?count=32`, signal),
    refetchInterval: SLOWLOG_REFETCH_MS,
    retry: false,
  });

export const jobsQuery = (clusterId: string) =>
  queryOptions({
    queryKey: queryKeys.jobs(clusterId),
    queryFn: ({ signal }) => apiGet<Job[]>(`/api/jobs?clusterId=${encodeURIComponent(clusterId)}`, signal),
    refetchInterval: (query) => (query.state.data?.some((j) => j.state === 'running') ? 1000 : 10_000),
    retry: false,
  });

const clusterPath = (clusterId: string) => `/api/clusters/${encodeURIComponent(clusterId)}`;

/** How often the timeline is fetched while the stream is down (while it is up, events are pushed). */
export const TIMELINE_REFETCH_MS = 2000;

/** Events are pushed over the stream; the list is fetched whole on (re)connect, and polled while the stream is down. */
export const timelineQuery = (clusterId: string, live = false) =>
  queryOptions({
    queryKey: queryKeys.timeline(clusterId),
    queryFn: ({ signal }) => apiGet<TimelineEvent[]>(`${clusterPath(clusterId)}/timeline`, signal),
    refetchInterval: live ? false : TIMELINE_REFETCH_MS,
    retry: false,
  });

export const keyslotQuery = (clusterId: string, key: string) =>
  queryOptions({
    queryKey: queryKeys.keyslot(clusterId, key),
    queryFn: ({ signal }) =>
      apiGet<KeySlotResponse>(`${clusterPath(clusterId)}/keyslot?key=${encodeURIComponent(key)}`, signal),
    retry: false,
  });

export const slotQuery = (clusterId: string, slot: number) =>
  queryOptions({
    queryKey: queryKeys.slot(clusterId, slot),
    queryFn: ({ signal }) => apiGet<SlotDetail>(`${clusterPath(clusterId)}/slots/${slot}`, signal),
    // The server answers from one read per slot per period anyway; within it, a re-click needs no request.
    staleTime: ON_DEMAND_REFRESH_MS.slotKeys,
    retry: false,
  });

/** Read from the nodes on demand: refetched at the period the server refreshes them at (see ON_DEMAND_REFRESH_MS). */
export const SLOWLOG_REFETCH_MS = ON_DEMAND_REFRESH_MS.slowlog;
export const LINKS_REFETCH_MS = ON_DEMAND_REFRESH_MS.links;

/** Timeline events kept in the browser. */
export const TIMELINE_KEEP = 500;

const nodePath = (clusterId: string, nodeId: string) =>
  `/api/clusters/${encodeURIComponent(clusterId)}/nodes/${encodeURIComponent(nodeId)}`;

export const nodeDetailQuery = (clusterId: string, nodeId: string) =>
  queryOptions({
    queryKey: queryKeys.node(clusterId, nodeId),
    queryFn: ({ signal }) => apiGet<NodeDetail>(nodePath(clusterId, nodeId), signal),
    refetchInterval: SNAPSHOT_REFETCH_MS,
    retry: false,
  });

export const linksQuery = (clusterId: string, nodeId: string) =>
  queryOptions({
    queryKey: queryKeys.links(clusterId, nodeId),
    queryFn: ({ signal }) => apiGet<ClusterLinksResponse>(`${nodePath(clusterId, nodeId)}/links`, signal),
    refetchInterval: LINKS_REFETCH_MS,
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

export const snapshotQuery = (clusterId: string, live = false) =>
  queryOptions({
    queryKey: queryKeys.snapshot(clusterId),
    queryFn: ({ signal }) =>
      apiGet<SnapshotResponse>(`/api/clusters/${encodeURIComponent(clusterId)}/snapshot`, signal),
    // While the stream pushes snapshots there is nothing to poll; without it, poll.
    refetchInterval: live ? false : SNAPSHOT_REFETCH_MS,
    // Keep polling on a wall screen even when the tab is not focused.
    refetchIntervalInBackground: true,
    retry: false,
  });

/** What the wall and the overview show of a cluster (the snapshot route's wall view), polled like the snapshot. */
export const wallSnapshotQuery = (clusterId: string) =>
  queryOptions({
    queryKey: queryKeys.wall(clusterId),
    queryFn: ({ signal }) =>
      apiGet<WallSnapshot>(`/api/clusters/${encodeURIComponent(clusterId)}/snapshot?view=wall`, signal),
    refetchInterval: SNAPSHOT_REFETCH_MS,
    refetchIntervalInBackground: true,
    retry: false,
  });
