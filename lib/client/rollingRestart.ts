import { queryOptions } from '@tanstack/react-query';
import type { RestartAdvance, RollingRestartPlanRequest } from '../api/schemas';
import type { Job, RollingRestartParams, RollingRestartResult } from '../jobs/types';
import { ROLLING_RESTART_KIND, type RollingRestartPlan } from '../plan/rollingRestart';
import { apiPost } from './mutate';

export type RollingRestartJob = Job<RollingRestartResult, RollingRestartParams>;
/** An ended rolling restart stays on the cluster page this long (its result, or where it stopped). */
export const RECENT_RESTART_MS = 30 * 60_000;

const clusterPath = (clusterId: string) => `/api/clusters/${encodeURIComponent(clusterId)}`;

/** The order the job would follow now; re-asked every few seconds while the dialog is open (health changes). */
export const rollingRestartPlanQuery = (clusterId: string, request: RollingRestartPlanRequest) =>
  queryOptions({
    queryKey: ['cluster', clusterId, 'rolling-restart-plan', JSON.stringify(request)] as const,
    queryFn: async () => {
      const plan = await apiPost<RollingRestartPlan>(`${clusterPath(clusterId)}/rolling-restart/plan`, request);
      if (!plan) throw new Error('the server sent no plan');
      return plan;
    },
    refetchInterval: 3000,
    retry: false,
  });

export function startRollingRestart(clusterId: string, request: RollingRestartPlanRequest, confirm: string) {
  return apiPost<{ jobId: string }>(`${clusterPath(clusterId)}/rolling-restart`, { ...request, confirm });
}

export function advanceRollingRestart(jobId: string, action: RestartAdvance, step: string) {
  return apiPost<{ step: string }>(`/api/jobs/${encodeURIComponent(jobId)}/advance`, { action, step });
}

/** The cluster's latest rolling restart: while it runs, or for RECENT_RESTART_MS after it ended. */
export function currentRollingRestart(jobs: Job[] | undefined, now: number): RollingRestartJob | undefined {
  const latest = (jobs ?? [])
    .filter((j) => j.kind === ROLLING_RESTART_KIND)
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))[0];
  if (!latest) return undefined;
  if (latest.state === 'running') return latest as RollingRestartJob;
  const ended = Date.parse(latest.endedAt ?? '');
  return Number.isFinite(ended) && now - ended < RECENT_RESTART_MS ? (latest as RollingRestartJob) : undefined;
}
