import { SENTINEL_FAILOVER_KIND } from '@/lib/sentinel/failoverJob';
import { ApiError } from '@/server/api/errors';
import { route } from '@/server/api/handler';
import { cancelJob, getJob } from '@/server/jobs/registry';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ jobId: string }>(
  { access: 'operator', action: 'job.cancel' },
  async ({ params, auditDetails }) => {
    auditDetails.params = { jobId: params.jobId };
    const existing = getJob(params.jobId);
    if (!existing) throw new ApiError('not_found', 'no such job');
    // Once CLUSTER FAILOVER is scheduled, Redis carries it out whatever the dashboard does: to stop watching is no cancel.
    if (existing.kind === 'failover')
      throw new ApiError('conflict', 'a failover cannot be cancelled once it is scheduled; watch it to the end');
    // Once SENTINEL FAILOVER is sent the sentinels carry it out; the job must follow it to the end (and unpause).
    const sent = existing.steps.find((s) => s.name === 'SENTINEL FAILOVER accepted');
    if (existing.kind === SENTINEL_FAILOVER_KIND && sent && sent.state !== 'pending')
      throw new ApiError(
        'conflict',
        'SENTINEL FAILOVER was sent: the sentinels carry it out whatever the dashboard does, and the job keeps writers paused until the old master is a replica; watch it to the end',
      );
    return cancelJob(params.jobId);
  },
);
