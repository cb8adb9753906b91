import 'server-only';
import type { FailoverRequest } from '@/lib/api/schemas';
import { allows, type Principal, principalLabel } from '@/lib/auth/access';
import { electionHistory } from '@/lib/failover/electionTiming';
import { bestReplica, type FailoverMode, type FailoverPlan, planFailover } from '@/lib/failover/prechecks';
import type { FailoverJob, FailoverParams, FailoverResult } from '@/lib/jobs/types';
import { ApiError } from '../api/errors';
import { audit } from '../audit/log';
import { pollerOr404 } from '../clusters/poller';
import type { ClusterPoller } from '../collect/poller';
import { listJobs, startJob } from '../jobs/registry';
import { refuseIfLocked } from '../store/operationLock';
import { runFailover } from './failover';

/** The wizard's plan for a replica, or for a master's best replica. */
export function failoverPlan(
  clusterId: string,
  target: { replicaId?: string; masterId?: string },
  mode?: FailoverMode,
): FailoverPlan {
  return planOn(pollerOr404(clusterId), target, mode);
}

export function planOn(
  poller: ClusterPoller,
  target: { replicaId?: string; masterId?: string },
  mode?: FailoverMode,
): FailoverPlan {
  const snapshot = poller.latest;
  if (!snapshot) throw new ApiError('not_ready', 'no snapshot of this cluster yet');
  const replicaId = target.replicaId ?? (target.masterId ? bestReplica(snapshot, target.masterId)?.id : undefined);
  if (!replicaId)
    throw new ApiError(
      'bad_request',
      target.masterId ? 'this master has no replica to fail over to' : 'give replicaId or masterId',
    );
  const replica = snapshot.nodes.find((n) => n.id === replicaId);
  const history = electionHistory(poller.timeline(), replicaId, replica?.masterId ?? null, Date.now());
  const plan = planFailover(snapshot, replicaId, mode, history);
  if (typeof plan === 'string') throw new ApiError('bad_request', plan);
  return plan;
}

export function startFailover(
  clusterId: string,
  request: FailoverRequest,
  principal: Principal | undefined,
): { jobId: string } {
  return startFailoverOn(pollerOr404(clusterId), request, principal);
}

/**
 * Role for the mode, no other operation running on the cluster (its operation lock, taken by the job and released
 * when it ends), pre-checks passing; then the job.
 */
export function startFailoverOn(
  poller: ClusterPoller,
  request: FailoverRequest,
  principal: Principal | undefined,
): { jobId: string } {
  const clusterId = poller.cluster.id;
  if (request.mode !== 'default' && !allows(principal, 'admin')) {
    throw new ApiError(
      'forbidden',
      `${request.mode.toUpperCase()} can lose acknowledged writes or split the cluster: it needs the admin role`,
    );
  }
  // Before the pre-checks, so a failover during a reshard is told which job holds the cluster, not what the open
  // slots look like; startJob takes the lock itself, atomically.
  refuseIfLocked(clusterId);
  const plan = planOn(poller, { replicaId: request.replicaId }, request.mode);
  if (!plan.allowed) {
    const failed = plan.checks.filter((c) => c.status === 'fail').map((c) => `${c.name} (${c.value})`);
    throw new ApiError('conflict', `pre-checks failed for a ${request.mode} failover: ${failed.join('; ')}`);
  }
  const who = principalLabel(principal);
  const failbackOf = undoneFailover(clusterId, request.replicaId, plan.masterId);
  const params: FailoverParams = {
    replicaId: request.replicaId,
    oldMasterId: plan.masterId,
    mode: request.mode,
    ...(failbackOf ? { failbackOf } : {}),
  };
  const job = startJob<FailoverResult, FailoverParams>(
    'failover',
    clusterId,
    who.user,
    async (handle) => {
      const started = Date.now();
      try {
        const result = await runFailover(poller, handle, request.replicaId, request.mode);
        await audit({
          ...who,
          action: 'cluster.failover.result',
          result: 'ok',
          status: 200,
          cluster: clusterId,
          targets: [request.replicaId],
          params: { mode: request.mode, timings: result.timings, epoch: result.epoch },
          durationMs: Date.now() - started,
        });
        return result;
      } catch (err) {
        await audit({
          ...who,
          action: 'cluster.failover.result',
          result: 'failed',
          status: 500,
          cluster: clusterId,
          targets: [request.replicaId],
          params: { mode: request.mode },
          reason: (err as Error).message,
          durationMs: Date.now() - started,
        });
        throw err;
      }
    },
    params,
    { exclusive: true },
  );
  return { jobId: job.id };
}

/**
 * The failover this one undoes: the latest that made the current master, when it replaced the replica now promoted
 * back. A failback of a failback is a new failover (it is undone in turn by a failback).
 */
function undoneFailover(clusterId: string, replicaId: string, masterId: string | null): string | undefined {
  if (!masterId) return undefined;
  const made = (listJobs(clusterId) as FailoverJob[]).find(
    (j) => j.kind === 'failover' && j.state === 'succeeded' && j.result?.replicaId === masterId,
  );
  return made && made.result?.oldMasterId === replicaId && !made.params?.failbackOf ? made.id : undefined;
}
