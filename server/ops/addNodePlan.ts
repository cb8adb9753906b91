import 'server-only';
import type { AddNodePlanRequest } from '@/lib/api/schemas';
import { allows, type Principal } from '@/lib/auth/access';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import { type AddNodePreview, planAddNode } from '@/lib/plan/addNode';
import { ApiError } from '../api/errors';
import { pollerOr404 } from '../clusters/poller';
import type { ClusterPoller } from '../collect/poller';
import { checkTarget } from './checkTarget';

export function previewAddNode(
  clusterId: string,
  request: AddNodePlanRequest,
  principal: Principal | undefined,
): Promise<AddNodePreview> {
  return previewAddNodeOn(pollerOr404(clusterId), request, principal);
}

/**
 * The add-node preview: the same target check (allowedTargets before any packet, then reads only) and the same
 * planner the job runs, so what the operator sees is what would start. A refusal is an answer here, not an error.
 */
export async function previewAddNodeOn(
  poller: ClusterPoller,
  request: AddNodePlanRequest,
  principal: Principal | undefined,
): Promise<AddNodePreview> {
  if (!allows(principal, 'operator')) throw new ApiError('forbidden', 'checking a node to add needs the operator role');
  const snapshot = plannableSnapshot(poller);
  const facts = await checkTarget(poller, request.addr);
  return { facts, decision: planAddNode(snapshot, facts, request) };
}

/** The snapshot an add-node plans on: there, and fresh (a stale poll does not know the cluster's state). */
export function plannableSnapshot(poller: ClusterPoller): ClusterSnapshot {
  const snapshot = poller.latest;
  if (!snapshot) throw new ApiError('not_ready', 'no snapshot of this cluster yet');
  const ageMs = Date.now() - Date.parse(snapshot.collectedAt);
  if (ageMs > Math.max(5000, poller.cluster.pollIntervalMs * 3))
    throw new ApiError(
      'conflict',
      `the last poll is ${Math.round(ageMs / 1000)} s old: the cluster's state is not known`,
    );
  return snapshot;
}
