import { queryOptions } from '@tanstack/react-query';
import type { AddNodePlanRequest, AddNodeRequest } from '../api/schemas';
import type { AddNodeParams, AddNodeResult, Job } from '../jobs/types';
import type { AddNodePreview } from '../plan/addNode';
import { apiGet } from './api';
import { apiPost } from './mutate';
import { queryKeys } from './queries';

export type AddNodeJob = Job<AddNodeResult, AddNodeParams>;

const nodesPath = (clusterId: string) => `/api/clusters/${encodeURIComponent(clusterId)}/nodes`;

/**
 * The "Check" of the add-node dialog: the target's facts and the planner's decision for exactly this request (POST,
 * reads only). Asked again only when the operator checks again, so it is never refetched on its own.
 */
export const addNodePlanQuery = (clusterId: string, request: AddNodePlanRequest, attempt: number) =>
  queryOptions({
    queryKey: ['cluster', clusterId, 'add-node-plan', JSON.stringify(request), attempt] as const,
    queryFn: async () => {
      const preview = await apiPost<AddNodePreview>(`${nodesPath(clusterId)}/plan`, request);
      if (!preview) throw new Error('the server sent no preview');
      return preview;
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
    retry: false,
  });

/** The job, pushed by the cluster's stream into the same cache entry; polled while it runs in case the stream is down. */
export const addNodeJobQuery = (jobId: string) =>
  queryOptions({
    queryKey: queryKeys.job(jobId),
    queryFn: ({ signal }) => apiGet<AddNodeJob>(`/api/jobs/${encodeURIComponent(jobId)}`, signal),
    refetchInterval: (query) => (query.state.data?.state === 'running' || !query.state.data ? 500 : false),
    retry: false,
  });

export function startAddNode(clusterId: string, request: AddNodeRequest) {
  return apiPost<{ jobId: string }>(nodesPath(clusterId), request);
}
