import 'server-only';
import type { Principal } from '@/lib/auth/access';
import { isSlotMoving, type ReshardJob, type ReshardResult, type SlotMovingKind } from '@/lib/jobs/types';
import { ApiError } from '../api/errors';
import { pollerOr404 } from '../clusters/poller';
import type { ClusterPoller } from '../collect/poller';
import { getJob, rerunJob } from '../jobs/registry';
import { migrationJournal } from '../migrate/journal';
import { unfinishedMoves } from '../migrate/openSlots';
import { assertNoOperationRunning } from './operationGuard';
import { RESHARD_STEPS, type ReshardMode, runReshard } from './reshardJob';

/** An interrupted reshard, or one that failed with slots left: the job to resume or roll back, or why not. */
export function resumableReshard(jobId: string, mode: Exclude<ReshardMode, 'start'>): ReshardJob {
  const job = getJob(jobId) as ReshardJob | undefined;
  if (!job) throw new ApiError('not_found', 'no such job');
  if (!isSlotMoving(job))
    throw new ApiError('bad_request', `a ${job.kind} job cannot be ${mode === 'resume' ? 'resumed' : 'rolled back'}`);
  // A fix is not a move between two nodes: what it left is fixed by running the fix again (it re-plans from the nodes).
  if (job.kind === 'fix')
    throw new ApiError(
      'bad_request',
      'a fix job is not resumed or rolled back: run the fix again, it plans from the nodes',
    );
  if (job.state === 'running') throw new ApiError('conflict', 'this reshard is running');
  if (job.state === 'succeeded' && mode === 'resume') throw new ApiError('conflict', 'this reshard has finished');
  return job;
}

/**
 * Resume (finish the open slots, then the rest of the plan) or roll back (return the open slots to their source) a
 * reshard, under the same job id. What is left comes from the job's journal; where each slot stands, from the nodes.
 */
export function continueReshard(
  jobId: string,
  mode: Exclude<ReshardMode, 'start'>,
  principal: Principal | undefined,
): { jobId: string } {
  return continueReshardOn(pollerOr404(resumableReshard(jobId, mode).clusterId), jobId, mode, principal);
}

export function continueReshardOn(
  poller: ClusterPoller,
  jobId: string,
  mode: Exclude<ReshardMode, 'start'>,
  principal: Principal | undefined,
): { jobId: string } {
  const job = resumableReshard(jobId, mode);
  if (job.clusterId !== poller.cluster.id) throw new ApiError('bad_request', 'this job is of another cluster');
  assertNoOperationRunning(job.clusterId, job.id);
  const moves = unfinishedMoves(migrationJournal().entries(job.id));
  if (moves.length === 0)
    throw new ApiError(
      'conflict',
      `nothing to ${mode === 'resume' ? 'resume' : 'roll back'}: every slot of this job is done`,
    );
  const rerun = rerunJob<ReshardResult>(
    job.id,
    (handle) => {
      const steps = RESHARD_STEPS[mode];
      handle.plan([steps.move, steps.verify]);
      return runReshard(
        poller,
        handle,
        mode,
        {
          moves,
          ...(job.params?.options ? { options: job.params.options } : {}),
          kind: job.kind as SlotMovingKind,
          exclusiveNodes: job.kind !== 'reshard',
        },
        principal,
      );
    },
    { exclusive: true },
  );
  if (!rerun) throw new ApiError('conflict', 'this reshard is running');
  return { jobId: job.id };
}

export function resumeReshard(jobId: string, principal: Principal | undefined): { jobId: string } {
  return continueReshard(jobId, 'resume', principal);
}
