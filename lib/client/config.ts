import { queryOptions } from '@tanstack/react-query';
import type { ConfigSetParams, ConfigSetResult, Job } from '../jobs/types';
import type { ConfigDiff } from '../nodeConfig/diff';
import type { ConfigSetPlan } from '../nodeConfig/setPlan';
import { apiGet } from './api';
import { apiPost } from './mutate';
import { queryKeys } from './queries';

const clusterPath = (clusterId: string) => `/api/clusters/${encodeURIComponent(clusterId)}`;

/** The server caches CONFIG GET * for 5 s; the view reads again on demand, not on a timer. */
export const configDiffQuery = (clusterId: string) =>
  queryOptions({
    queryKey: ['cluster', clusterId, 'config-diff'] as const,
    queryFn: ({ signal }) => apiGet<ConfigDiff>(`${clusterPath(clusterId)}/config/diff`, signal),
    staleTime: 5000,
    retry: false,
  });

/** Each node's current value of the named parameters (old side of the preview). */
export const configSetPlanQuery = (clusterId: string, names: string[]) =>
  queryOptions({
    queryKey: ['cluster', clusterId, 'config-set-plan', names.join(',')] as const,
    queryFn: ({ signal }) =>
      apiGet<ConfigSetPlan>(
        `${clusterPath(clusterId)}/config/set/plan?names=${encodeURIComponent(names.join(','))}`,
        signal,
      ),
    enabled: names.length > 0,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
  });

export type ConfigSetJob = Job<ConfigSetResult, ConfigSetParams>;

export const configSetJobQuery = (jobId: string) =>
  queryOptions({
    queryKey: queryKeys.job(jobId),
    queryFn: ({ signal }) => apiGet<ConfigSetJob>(`/api/jobs/${encodeURIComponent(jobId)}`, signal),
    refetchInterval: (query) => (query.state.data?.state === 'running' || !query.state.data ? 250 : false),
    retry: false,
  });

export function startConfigSet(
  clusterId: string,
  request: { params: Record<string, string>; rewrite: boolean },
  confirm: string,
) {
  return apiPost<{ jobId: string }>(`${clusterPath(clusterId)}/config/set`, { ...request, confirm });
}
