import 'server-only';
import type { ReshardRequest, ReshardStartRequest } from '@/lib/api/schemas';
import type { Principal } from '@/lib/auth/access';
import { principalLabel } from '@/lib/auth/access';
import type { ReshardPreview } from '@/lib/jobs/reshardPreview';
import type { ReshardResult } from '@/lib/jobs/types';
import { ApiError } from '../api/errors';
import { pollerOr404 } from '../clusters/poller';
import type { ClusterPoller } from '../collect/poller';
import { startJob } from '../jobs/registry';
import { assertChecksPass, assertNoOperationRunning } from './operationGuard';
import { RESHARD_STEPS, runReshard } from './reshardJob';
import { prepareReshard, previewedBigKeys, reshardPreview } from './reshardPlan';

/** POST /api/clusters/{id}/reshard/plan: the preview; changes nothing. */
export function planReshardFor(clusterId: string, request: ReshardRequest): Promise<ReshardPreview> {
  return reshardPreview(pollerOr404(clusterId), request);
}

/** The typed confirmation a start needs: the cluster's name. */
export function reshardConfirmation(clusterId: string): string {
  return pollerOr404(clusterId).cluster.name;
}

export function startReshard(
  clusterId: string,
  request: ReshardStartRequest,
  principal: Principal | undefined,
): Promise<{ jobId: string }> {
  return startReshardOn(pollerOr404(clusterId), request, principal);
}

/** One operation per cluster; redis-cli's gate and the dashboard's pre-flight passing; then the job. */
export async function startReshardOn(
  poller: ClusterPoller,
  request: ReshardStartRequest,
  principal: Principal | undefined,
): Promise<{ jobId: string }> {
  const clusterId = poller.cluster.id;
  assertNoOperationRunning(clusterId);
  const { confirm: _, ...params } = request;
  const prep = await prepareReshard(poller, params, { sizes: 'sample' });
  assertChecksPass(prep.preview.checks);
  if (prep.moves.length === 0) throw new ApiError('bad_request', 'nothing to move: the target owns every slot named');
  // Checked again now that the pre-flight has awaited: a start that raced this one has its job registered by now.
  assertNoOperationRunning(clusterId);
  const job = startJob<ReshardResult, ReshardRequest>(
    'reshard',
    clusterId,
    principalLabel(principal).user,
    (handle) => {
      const steps = RESHARD_STEPS.start;
      handle.plan(['pre-flight', steps.move, steps.verify]);
      handle.step(
        'pre-flight',
        'done',
        `${prep.moves.length} slot(s), ${prep.keysTotal} key(s) from ${prep.preview.sources.length} source(s); checks passed in ${prep.ms} ms`,
      );
      return runReshard(
        poller,
        handle,
        'start',
        {
          moves: prep.moves,
          ...(params.options ? { options: params.options } : {}),
          keysTotal: prep.keysTotal,
          meanKeyBytes: prep.meanKeyBytes,
          bigKeys: [...prep.bigKeys, ...previewedBigKeys(clusterId, params)],
          priorMs: prep.ms,
        },
        principal,
      );
    },
    params,
    // The cluster's operation lock: a second operation of any kind gets 409 naming this job.
    { exclusive: true },
  );
  return { jobId: job.id };
}
