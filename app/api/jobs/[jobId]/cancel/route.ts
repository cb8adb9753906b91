import { ApiError } from '@/server/api/errors';
import { route } from '@/server/api/handler';
import { cancelJob, getJob } from '@/server/jobs/registry';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ jobId: string }>(
  { access: 'operator', action: 'job.cancel' },
  async ({ params, auditDetails }) => {
    auditDetails.params = { jobId: params.jobId };
    const job = cancelJob(params.jobId);
    if (!job) throw new ApiError('not_found', 'no such job');
    return job;
  },
);
