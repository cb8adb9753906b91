import 'server-only';
import { allows, type Principal, principalLabel } from '@/lib/auth/access';
import type { MoveReplicaParams, MoveReplicaResult } from '@/lib/jobs/types';
import { type MoveReplicaDecision, type MoveReplicaPlan, planMoveReplica } from '@/lib/plan/moveReplica';
import { ApiError } from '../api/errors';
import { audit } from '../audit/log';
import { pollerOr404 } from '../clusters/poller';
import type { ClusterPoller } from '../collect/poller';
import { type JobHandle, startJob } from '../jobs/registry';
import { refuseIfLocked } from '../store/operationLock';
import { JobConnections } from './jobConnections';
import { until } from './nodeCommands';
import { awaitLink, replicate } from './removeNodeSteps';

/** How long the master's own view may take to list its new replica (gossip). */
const MASTER_VIEW_MS = 20_000;

export function previewMoveReplica(clusterId: string, replicaId: string, masterId?: string): MoveReplicaDecision {
  return previewMoveReplicaOn(pollerOr404(clusterId), replicaId, masterId);
}

export function previewMoveReplicaOn(poller: ClusterPoller, replicaId: string, masterId?: string): MoveReplicaDecision {
  const snapshot = poller.latest;
  if (!snapshot) throw new ApiError('not_ready', 'no snapshot of this cluster yet');
  return planMoveReplica(snapshot, replicaId, masterId);
}

export function startMoveReplica(
  clusterId: string,
  replicaId: string,
  masterId: string,
  principal: Principal | undefined,
): Promise<{ jobId: string }> {
  return startMoveReplicaOn(pollerOr404(clusterId), replicaId, masterId, principal);
}

/** Operator; refused (409, nothing sent) while another operation holds the cluster or when the planner says no. */
export async function startMoveReplicaOn(
  poller: ClusterPoller,
  replicaId: string,
  masterId: string,
  principal: Principal | undefined,
): Promise<{ jobId: string }> {
  if (!allows(principal, 'operator')) throw new ApiError('forbidden', 'moving a replica needs the operator role');
  const clusterId = poller.cluster.id;
  refuseIfLocked(clusterId);
  const decision = previewMoveReplicaOn(poller, replicaId, masterId);
  if (!decision.ok) {
    if (decision.reason.startsWith('no node ')) throw new ApiError('not_found', decision.reason);
    throw new ApiError('conflict', `refused: ${decision.reason}; nothing was sent`);
  }
  const plan = decision.plan;
  const who = principalLabel(principal);
  const params: MoveReplicaParams = {
    replicaId: plan.replica.id,
    replicaAddr: plan.replica.addr,
    fromMasterId: plan.from.id,
    masterId: plan.to.id,
    masterAddr: plan.to.addr,
  };
  const job = startJob<MoveReplicaResult, MoveReplicaParams>(
    'move-replica',
    clusterId,
    who.user,
    async (handle) => {
      const started = Date.now();
      const entry = { ...who, action: 'node.replicate.result', cluster: clusterId, targets: [plan.replica.addr] };
      try {
        const result = await runMoveReplica(poller, handle, plan);
        await audit({ ...entry, result: 'ok', status: 200, params: { ...params }, durationMs: Date.now() - started });
        return result;
      } catch (err) {
        const reason = (err as Error).message;
        const failed = { result: 'failed' as const, status: 500, params: { ...params }, reason };
        await audit({ ...entry, ...failed, durationMs: Date.now() - started });
        throw err;
      }
    },
    params,
    { exclusive: true },
  );
  return { jobId: job.id };
}

export async function runMoveReplica(
  poller: ClusterPoller,
  handle: JobHandle<MoveReplicaResult>,
  plan: MoveReplicaPlan,
): Promise<MoveReplicaResult> {
  const started = Date.now();
  const [check, replicateStep, link, masterView] = plan.steps;
  if (!check || !replicateStep || !link || !masterView) throw new Error('a move-replica plan has four steps');
  handle.plan(plan.steps);
  const secrets = poller.cluster.password ? [poller.cluster.password] : [];
  const conns = new JobConnections(poller);
  let current = check;
  try {
    handle.step(current, 'running');
    const snapshot = poller.latest;
    const again = snapshot ? planMoveReplica(snapshot, plan.replica.id, plan.to.id) : undefined;
    if (!again?.ok) throw new Error(`refused: ${again?.reason ?? 'no snapshot'}`);
    if (again.plan.from.id !== plan.from.id) throw new Error(`${plan.replica.addr}'s master changed: preview again`);
    // The snapshot may lag: the replica's own view is what CLUSTER REPLICATE acts on.
    const own = (await conns.view(plan.replica.id))?.find((l) => l.myself);
    if (!own) throw new Error(`refused: ${plan.replica.addr} does not answer CLUSTER NODES; nothing was sent`);
    if (own.role !== 'replica' || own.masterId !== plan.from.id)
      throw new Error(
        `refused: ${plan.replica.addr}'s own view says it ${own.role === 'replica' ? `replicates ${own.masterId ?? 'no master'}` : `is a ${own.role}`}, not ${plan.from.addr || plan.from.id}: preview again; nothing was sent`,
      );
    handle.step(current, 'done', `${plan.replica.addr} replicates ${plan.from.addr || plan.from.id}`);

    current = replicateStep;
    handle.step(current, 'running');
    const step = { replica: plan.replica, master: plan.to };
    await replicate(conns, secrets, step);
    handle.step(current, 'done', `${plan.replica.addr} answered OK`);

    current = link;
    handle.step(current, 'running');
    handle.step(current, 'done', await awaitLink(conns, handle.signal, step));

    current = masterView;
    handle.step(current, 'running');
    await until(handle.signal, MASTER_VIEW_MS, async () => {
      const line = (await conns.view(plan.to.id))?.find((l) => l.id === plan.replica.id);
      return line?.masterId === plan.to.id ? true : `${plan.to.addr} does not list it as its replica yet`;
    });
    handle.step(current, 'done', `${plan.to.addr} lists ${plan.replica.addr} as its replica`);
    return {
      replicaId: plan.replica.id,
      masterId: plan.to.id,
      masterAddr: plan.to.addr,
      notes: plan.notes,
      ms: Date.now() - started,
    };
  } catch (err) {
    const message = (err as Error).message;
    handle.step(current, 'failed', message);
    throw new Error(message);
  } finally {
    conns.close();
  }
}
