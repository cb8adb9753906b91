import { queryOptions } from '@tanstack/react-query';
import type { CreateClusterParams, CreateClusterResult } from '../api/createCluster';
import type { Job } from '../jobs/types';
import { apiGet } from './api';
import { queryKeys } from './queries';

export type CreateClusterJob = Job<CreateClusterResult, CreateClusterParams>;

/** A create-cluster job, followed every 250 ms while it runs (it belongs to no configured cluster's stream). */
export const createJobQuery = (jobId: string) =>
  queryOptions({
    queryKey: queryKeys.job(jobId),
    queryFn: ({ signal }) => apiGet<CreateClusterJob>(`/api/jobs/${encodeURIComponent(jobId)}`, signal),
    refetchInterval: (query) => (query.state.data?.state === 'running' || !query.state.data ? 250 : false),
    retry: false,
  });

/** "host:port" entries typed in a box, one per line or separated by spaces or commas. */
export function parseNodeList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The cluster id create-cluster jobs are listed under (server/ops/createCluster.ts CREATE_CLUSTER_ID). */
export const CREATE_JOBS_CLUSTER_ID = 'new-cluster';
