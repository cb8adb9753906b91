import 'server-only';
import type { JobAdvanceRequest, RollingRestartPlanRequest, RollingRestartRequest } from '@/lib/api/schemas';
import { allows, type Principal, principalLabel } from '@/lib/auth/access';
import type { RollingRestartParams, RollingRestartResult } from '@/lib/jobs/types';
import {
  planRollingRestart,
  ROLLING_RESTART_KIND,
  type RollingRestartInput,
  type RollingRestartPlan,
} from '@/lib/plan/rollingRestart';
import { ApiError } from '../api/errors';
import { audit } from '../audit/log';
import { pollerOr404 } from '../clusters/poller';
import type { ClusterPoller } from '../collect/poller';
import { getJob, startJob } from '../jobs/registry';
import { refuseIfLocked } from '../store/operationLock';
import { requestAdvance } from './restartWatch';
import { ROLLING_RESTART_TIMING, type RollingRestartTiming, runRollingRestart } from './rollingRestartJob';

/** The order the job would follow now (changes nothing). */
export function rollingRestartPlan(clusterId: string, request: RollingRestartPlanRequest): RollingRestartPlan {
  return planFor(pollerOr404(clusterId), request);
}

function planFor(poller: ClusterPoller, request: RollingRestartInput): RollingRestartPlan {
  const snapshot = poller.latest;
  if (!snapshot) throw new ApiError('not_ready', 'no snapshot of this cluster yet');
  return planRollingRestart(snapshot, request);
}

export function startRollingRestart(
  clusterId: string,
  request: RollingRestartRequest,
  principal: Principal | undefined,
): { jobId: string } {
  return startRollingRestartOn(pollerOr404(clusterId), request, principal);
}

/**
 * Operator role, no other operation on the cluster (the job holds its operation lock to the end: no reshard or fix
 * starts while nodes go down one by one), a healthy cluster; then the job.
 */
export function startRollingRestartOn(
  poller: ClusterPoller,
  request: RollingRestartInput,
  principal: Principal | undefined,
  timing: RollingRestartTiming = ROLLING_RESTART_TIMING,
): { jobId: string } {
  if (!allows(principal, 'operator')) throw new ApiError('forbidden', 'a rolling restart needs the operator role');
  const clusterId = poller.cluster.id;
  refuseIfLocked(clusterId);
  const plan = planFor(poller, request);
  if (!plan.allowed) throw new ApiError('conflict', `not now: ${plan.blockers.join('; ')}`);
  const who = principalLabel(principal);
  const params: RollingRestartParams = {
    failBack: request.failBack,
    restartLoneMasters: request.restartLoneMasters ?? false,
    skipNodeIds: [...(request.skipNodeIds ?? [])],
  };
  const job = startJob<RollingRestartResult, RollingRestartParams>(
    ROLLING_RESTART_KIND,
    clusterId,
    who.user,
    async (handle) => {
      const started = Date.now();
      const entry = { ...who, action: 'cluster.rolling-restart.result', cluster: clusterId, params: { ...params } };
      try {
        const result = await runRollingRestart(poller, handle, plan, timing);
        await audit({
          ...entry,
          result: 'ok',
          status: 200,
          targets: result.restarted.map((r) => r.addr),
          durationMs: Date.now() - started,
        });
        return result;
      } catch (err) {
        const reason = (err as Error).message;
        await audit({ ...entry, result: 'failed', status: 500, reason, durationMs: Date.now() - started });
        throw err;
      }
    },
    params,
    { exclusive: true },
  );
  return { jobId: job.id };
}

/** Ends a rolling restart's wait for a node: `skip` leaves it as it is, `done` takes the operator's word for it. */
export function advanceRollingRestart(
  jobId: string,
  request: JobAdvanceRequest,
  principal: Principal | undefined,
): { jobId: string; step: string; action: JobAdvanceRequest['action'] } {
  if (!allows(principal, 'operator')) throw new ApiError('forbidden', 'advancing a job needs the operator role');
  const job = getJob(jobId);
  if (!job) throw new ApiError('not_found', 'no such job');
  if (job.kind !== ROLLING_RESTART_KIND)
    throw new ApiError('conflict', `a ${job.kind} job has no step to advance: only a rolling restart waits for you`);
  if (job.state !== 'running') throw new ApiError('conflict', `the job is ${job.state}`);
  const out = requestAdvance(jobId, { action: request.action, by: principalLabel(principal).user }, request.step);
  if (!out.ok) throw new ApiError('conflict', out.reason);
  return { jobId, step: out.step, action: request.action };
}
