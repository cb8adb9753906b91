import 'server-only';
import type { DrainPlanRequest, DrainRequest, RebalanceRequest, RebalanceStartRequest } from '@/lib/api/schemas';
import type { Principal } from '@/lib/auth/access';
import { principalLabel } from '@/lib/auth/access';
import type { RebalancePreview } from '@/lib/jobs/rebalancePreview';
import type { ReshardResult } from '@/lib/jobs/types';
import { allowsReplicaMigration, drainOutcomeNote } from '@/lib/plan/roleNotes';
import { ApiError } from '../api/errors';
import { pollerOr404 } from '../clusters/poller';
import type { ClusterPoller } from '../collect/poller';
import { startJob } from '../jobs/registry';
import { until } from './nodeCommands';
import { assertChecksPass, assertNoOperationRunning } from './operationGuard';
import { prepareRebalance, type RebalancePreparation } from './rebalancePlan';
import { RESHARD_STEPS, runReshard } from './reshardJob';

/** How long a drain waits for Redis to turn the emptied master into a replica before it reports it as it is. */
const DRAIN_ROLE_WAIT_MS = 5000;

/** POST /api/clusters/{id}/rebalance/plan: the preview; changes nothing. */
export function planRebalanceFor(clusterId: string, request: RebalanceRequest): Promise<RebalancePreview> {
  return previewRebalanceOn(pollerOr404(clusterId), request);
}

export async function previewRebalanceOn(poller: ClusterPoller, request: RebalanceRequest): Promise<RebalancePreview> {
  return (await prepareRebalance(poller, { kind: 'rebalance', request })).preview;
}

export function startRebalance(
  clusterId: string,
  request: RebalanceStartRequest,
  principal: Principal | undefined,
): Promise<{ jobId: string }> {
  return startRebalanceOn(pollerOr404(clusterId), request, principal);
}

/** One operation per cluster; the plan's gate passing; then the job (kind `rebalance`). */
export async function startRebalanceOn(
  poller: ClusterPoller,
  request: RebalanceStartRequest,
  principal: Principal | undefined,
): Promise<{ jobId: string }> {
  const { confirm: _, ...params } = request;
  return startMoves(
    poller,
    'rebalance',
    params,
    principal,
    await prepareChecked(poller, { kind: 'rebalance', request: params }),
  );
}

/** POST /api/clusters/{id}/drain/plan: the drain's preview (the plan its job runs); changes nothing. */
export async function planDrainFor(clusterId: string, request: DrainPlanRequest): Promise<RebalancePreview> {
  return (
    await prepareRebalance(pollerOr404(clusterId), {
      kind: 'drain',
      nodeId: request.nodeId,
      ...(request.weights ? { weights: request.weights } : {}),
    })
  ).preview;
}

/** The master's own node id, typed to confirm a drain. */
export function drainConfirmation(request: DrainRequest): string {
  return request.nodeId;
}

export function startDrain(
  clusterId: string,
  request: DrainRequest,
  principal: Principal | undefined,
): Promise<{ jobId: string }> {
  return startDrainOn(pollerOr404(clusterId), request, principal);
}

/** Every slot of a master to the other masters by weight (the step before removing it); kind `drain`. */
export async function startDrainOn(
  poller: ClusterPoller,
  request: DrainRequest,
  principal: Principal | undefined,
): Promise<{ jobId: string }> {
  const { confirm: _, ...params } = request;
  const prep = await prepareChecked(poller, {
    kind: 'drain',
    nodeId: params.nodeId,
    ...(params.weights ? { weights: params.weights } : {}),
  });
  return startMoves(poller, 'drain', params, principal, prep);
}

async function prepareChecked(
  poller: ClusterPoller,
  target: Parameters<typeof prepareRebalance>[1],
): Promise<RebalancePreparation> {
  assertNoOperationRunning(poller.cluster.id);
  const prep = await prepareRebalance(poller, target);
  assertChecksPass(prep.preview.checks);
  if (prep.moves.length === 0)
    throw new ApiError('bad_request', `nothing to move: ${prep.preview.reason ?? 'the cluster is balanced'}`);
  return prep;
}

function startMoves<P extends { options?: RebalanceRequest['options'] }>(
  poller: ClusterPoller,
  kind: 'rebalance' | 'drain',
  params: P,
  principal: Principal | undefined,
  prep: RebalancePreparation,
): { jobId: string } {
  const clusterId = poller.cluster.id;
  // Checked again now that the preparation has awaited: a start that raced this one has its job registered by now.
  assertNoOperationRunning(clusterId);
  const job = startJob<ReshardResult, P>(
    kind,
    clusterId,
    principalLabel(principal).user,
    (handle) => {
      const steps = RESHARD_STEPS.start;
      handle.plan(['pre-flight', steps.move, steps.verify]);
      handle.step(
        'pre-flight',
        'done',
        `${prep.preview.moves.length} move(s): ${prep.moves.length} slot(s), ${prep.keysTotal} key(s); checks passed in ${prep.ms} ms`,
      );
      const run = runReshard(
        poller,
        handle,
        'start',
        {
          moves: prep.moves,
          ...(params.options ? { options: params.options } : {}),
          keysTotal: prep.keysTotal,
          ...(prep.meanKeyBytes !== undefined ? { meanKeyBytes: prep.meanKeyBytes } : {}),
          bigKeys: prep.bigKeys,
          priorMs: prep.ms,
          kind,
          exclusiveNodes: true,
        },
        principal,
      );
      const drainedId = prep.drainedId;
      return drainedId
        ? run.then((result) => withDrainOutcome(poller, handle.signal, drainedId, prep.formerReplicas, result))
        : run;
    },
    params,
    { exclusive: true },
  );
  return { jobId: job.id };
}

/** After a drain: what the emptied master is now (Redis makes it a replica within a gossip round or two). */
async function withDrainOutcome(
  poller: ClusterPoller,
  signal: AbortSignal,
  nodeId: string,
  formerReplicas: readonly string[],
  result: ReshardResult,
): Promise<ReshardResult> {
  const snapshot = await until(signal, DRAIN_ROLE_WAIT_MS, async () => {
    const fresh = await poller.fresh();
    const node = fresh.nodes.find((n) => n.id === nodeId);
    return !node || node.role === 'replica' || !allowsReplicaMigration(node) ? fresh : 'still a master';
  }).catch(() => poller.latest);
  if (!snapshot) return result;
  return { ...result, notes: [...(result.notes ?? []), drainOutcomeNote(snapshot.nodes, nodeId, formerReplicas)] };
}
