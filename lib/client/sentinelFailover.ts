import { queryOptions } from '@tanstack/react-query';
import type { SessionInfo } from '../api/types';
import type { Job } from '../jobs/types';
import { SENTINEL_FAILOVER_KIND, type SentinelFailoverJob } from '../sentinel/failoverJob';
import type { SentinelFailoverPlan } from '../sentinel/failoverPlan';
import { apiGet } from './api';
import { apiPost } from './mutate';
import { jobsQuery, queryKeys } from './queries';

const path = (id: string) => `/api/clusters/${encodeURIComponent(id)}/sentinel-failover`;

/** The wizard's plan: refreshed while it is open, so the pre-checks follow the deployment. */
export const sentinelFailoverPlanQuery = (deploymentId: string) =>
  queryOptions({
    queryKey: ['cluster', deploymentId, 'sentinel-failover-plan'] as const,
    queryFn: ({ signal }) => apiGet<SentinelFailoverPlan>(`${path(deploymentId)}/plan`, signal),
    refetchInterval: 2000,
    retry: false,
  });

export const sessionQuery = () =>
  queryOptions({
    queryKey: ['session'] as const,
    queryFn: ({ signal }) => apiGet<SessionInfo>('/api/auth/session', signal),
    staleTime: 60_000,
    retry: false,
  });

/** The job, polled while it runs (the same cache entry as every job's). */
export const sentinelFailoverJobQuery = (jobId: string) =>
  queryOptions({
    queryKey: queryKeys.job(jobId),
    queryFn: ({ signal }) => apiGet<SentinelFailoverJob>(`/api/jobs/${encodeURIComponent(jobId)}`, signal),
    refetchInterval: (query) => (query.state.data?.state === 'running' || !query.state.data ? 250 : false),
    retry: false,
  });

/** The deployment's jobs (viewers and up): the latest Sentinel failover among them reopens after a reload. */
export const deploymentJobsQuery = jobsQuery;

export function latestSentinelFailover(jobs: Job[] | undefined): SentinelFailoverJob | undefined {
  return jobs?.find((j) => j.kind === SENTINEL_FAILOVER_KIND) as SentinelFailoverJob | undefined;
}

export async function startSentinelFailover(deploymentId: string, confirm: string): Promise<string> {
  const reply = await apiPost<{ jobId: string }>(path(deploymentId), { confirm });
  if (!reply) throw new Error('no job id in the reply');
  return reply.jobId;
}
